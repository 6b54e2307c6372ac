"""The environnement importers, registered for the admin and the commands (each module registers its own)."""
