from observatoire.imports.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Importe les logements autorisés et commencés par commune (SDES, base Sitadel, catalogue DiDo) : "
        "« Données annuelles communales - Logements » (ANNEE, COMM, TYPE_LGT, LOG_AUT, LOG_COM, SDP_AUT, "
        "SDP_COM) ou la série mensuelle communale (CODE_INSEE, MOIS…), en CSV, .gz ou .zip. Les lignes "
        "« Tous Logements » ne sont pas ajoutées aux types qu'elles totalisent."
    )
    kind = "sitadel"
