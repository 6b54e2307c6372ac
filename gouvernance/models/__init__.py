"""Data governance: the meta-catalogue of datasets, access rights and the download audit."""

from .catalogue import JeuDeDonnees, JeuDeDonneesQuerySet

__all__ = ["JeuDeDonnees", "JeuDeDonneesQuerySet"]
