"""The subscription form, and the parameters of the Atom feeds: the same choices of zone."""

from django import forms
from django.contrib.gis.geos import Point

from observatoire.territoires.enums import ZoneType
from observatoire.territoires.geometry import to_storage
from observatoire.territoires.models import Commune, Zone

from ..models import Categorie
from .models import Abonnement, ZoneAlerte
from .perimetre import RAYON_MAX_M, RAYON_MIN_M, Perimetre

RAYON_DEFAUT_M = 500


class CommuneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.nom


def commune_field(**kwargs):
    return CommuneChoiceField(
        queryset=Commune.objects.defer("geom"),
        to_field_name="insee",
        label="Commune",
        empty_label="Choisissez une commune",
        error_messages={"invalid_choice": "Commune inconnue : choisissez-la dans la liste."},
        **kwargs,
    )


def arrondissement_field(**kwargs):
    return CommuneChoiceField(
        queryset=Zone.objects.filter(type=ZoneType.ARRONDISSEMENT, commune__insee="13055")
        .defer("geom")
        .order_by("code"),
        to_field_name="code",
        label="Arrondissement de Marseille",
        empty_label="Choisissez un arrondissement",
        error_messages={"invalid_choice": "Arrondissement inconnu : choisissez-le dans la liste."},
        **kwargs,
    )


def rayon_field(**kwargs):
    return forms.IntegerField(
        label="Rayon (en mètres)",
        min_value=RAYON_MIN_M,
        max_value=RAYON_MAX_M,
        help_text=f"De {RAYON_MIN_M} m à {RAYON_MAX_M // 1000} km.",
        error_messages={
            "invalid": f"Indiquez un rayon en mètres, entre {RAYON_MIN_M} et {RAYON_MAX_M}.",
            "min_value": f"Le rayon est de {RAYON_MIN_M} m au moins.",
            "max_value": f"Le rayon est de {RAYON_MAX_M // 1000} km au plus.",
        },
        **kwargs,
    )


def centre_from(cleaned, add_error):
    """The WGS84 point of the form as a stored point inside the territory, or None with an error."""
    lat, lon = cleaned.get("lat"), cleaned.get("lon")
    if lat is None or lon is None:
        add_error("lat", "Choisissez le lieu : recherchez une adresse ou cliquez sur la carte.")
        return None
    if not Commune.objects.containing(lon, lat).exists():
        add_error("lat", "Ce lieu est en dehors du territoire de la métropole.")
        return None
    return to_storage(Point(lon, lat, srid=4326))


class AbonnementForm(forms.ModelForm):
    commune = commune_field(required=False)
    arrondissement = arrondissement_field(required=False)
    lat = forms.FloatField(label="Latitude", required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label="Longitude", required=False, min_value=-180, max_value=180)
    rayon_m = rayon_field(required=False, initial=RAYON_DEFAUT_M)

    class Meta:
        model = Abonnement
        fields = [
            "zone_type",
            "commune",
            "arrondissement",
            "lieu",
            "rayon_m",
            "nouveaux",
            "resolus",
            "frequence",
            "email",
        ]
        labels = {
            "zone_type": "Où ?",
            "lieu": "Lieu (tel qu'il apparaîtra dans les courriels)",
            "nouveaux": "Les nouveaux signalements",
            "resolus": "Les signalements résolus",
            "frequence": "Quand ?",
            "email": "Votre adresse électronique",
        }
        help_texts = {
            "email": "Un courriel vous demandera de confirmer : rien n'est envoyé avant.",
            "lieu": "Rempli par la recherche ; vous pouvez le préciser (ex. : « école Jules-Ferry »).",
        }
        widgets = {
            "zone_type": forms.RadioSelect,
            "frequence": forms.RadioSelect,
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "lieu": forms.TextInput(attrs={"autocomplete": "off"}),
        }
        error_messages = {
            "zone_type": {"required": "Choisissez une commune, un arrondissement ou un lieu."},
            "email": {
                "required": "Indiquez votre adresse électronique.",
                "invalid": "Saisissez une adresse électronique valide (ex. : nom@exemple.fr).",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone_type"].choices = [
            (ZoneAlerte.COMMUNE, "Une commune"),
            (ZoneAlerte.ARRONDISSEMENT, "Un arrondissement de Marseille"),
            (ZoneAlerte.RAYON, "Autour d'un lieu (adresse ou point sur la carte)"),
        ]
        self.fields["frequence"].choices = [
            ("immediate", "À chaque signalement, dès qu'il arrive"),
            ("quotidienne", "Un résumé par jour (le matin, s'il y a du nouveau)"),
        ]
        self.fields["lieu"].required = False

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        zone_type = cleaned.get("zone_type")
        if zone_type == ZoneAlerte.COMMUNE and not cleaned.get("commune"):
            self.add_error("commune", "Choisissez la commune.")
        if zone_type == ZoneAlerte.ARRONDISSEMENT and not cleaned.get("arrondissement"):
            self.add_error("arrondissement", "Choisissez l'arrondissement.")
        if zone_type == ZoneAlerte.RAYON:
            if cleaned.get("rayon_m") is None and "rayon_m" not in self.errors:
                cleaned["rayon_m"] = RAYON_DEFAUT_M
            cleaned["centre"] = centre_from(cleaned, self.add_error)
        if not cleaned.get("nouveaux") and not cleaned.get("resolus"):
            self.add_error("nouveaux", "Cochez au moins une des deux sortes de signalements.")
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        # Only the fields of the chosen zone are kept.
        instance, cleaned = self.instance, self.cleaned_data
        zone_type = cleaned.get("zone_type")
        if zone_type != ZoneAlerte.COMMUNE:
            instance.commune = None
        if zone_type != ZoneAlerte.ARRONDISSEMENT:
            instance.arrondissement = None
        if zone_type == ZoneAlerte.RAYON:
            instance.centre = cleaned.get("centre")
            commune = (
                Commune.objects.containing(cleaned.get("lon"), cleaned.get("lat")).defer("geom").first()
                if instance.centre
                else None
            )
            instance.lieu = (cleaned.get("lieu") or "").strip() or (
                f"un point de {commune.nom}" if commune else ""
            )
        else:
            instance.centre, instance.rayon_m, instance.lieu = None, None, ""


FEED_KINDS = {"nouveaux": "Nouveaux signalements", "resolus": "Signalements résolus"}


class FluxForm(forms.Form):
    """``?commune=<insee>`` or ``arrondissement=<code>`` or ``lat=&lon=&rayon=``, ``type=nouveaux|resolus``,
    ``categorie=<code>``; no zone: the whole metropolis."""

    commune = commune_field(required=False)
    arrondissement = arrondissement_field(required=False)
    lat = forms.FloatField(required=False, error_messages={"invalid": "lat : nombre décimal attendu."})
    lon = forms.FloatField(required=False, error_messages={"invalid": "lon : nombre décimal attendu."})
    rayon = rayon_field(required=False)
    type = forms.ChoiceField(
        choices=list(FEED_KINDS.items()),
        required=False,
        error_messages={"invalid_choice": "type : « nouveaux » ou « resolus »."},
    )
    categorie = forms.ModelChoiceField(
        queryset=Categorie.objects.filter(parent__isnull=True, is_active=True),
        to_field_name="code",
        required=False,
        error_messages={"invalid_choice": "Catégorie inconnue."},
    )

    def clean(self):
        cleaned = super().clean()
        zones = [name for name in ("commune", "arrondissement", "lat") if cleaned.get(name) is not None]
        if len(zones) > 1:
            raise forms.ValidationError("Une seule zone à la fois : commune, arrondissement ou lat/lon.")
        if (cleaned.get("lat") is None) != (cleaned.get("lon") is None):
            raise forms.ValidationError("lat et lon vont ensemble.")
        if cleaned.get("lat") is not None:
            cleaned["centre"] = centre_from(cleaned, self.add_error)
        return cleaned

    def first_error(self):
        for errors in self.errors.values():
            return errors[0]
        return ""

    def perimetre(self):
        data = self.cleaned_data
        if data.get("commune"):
            return Perimetre(ZoneAlerte.COMMUNE, commune=data["commune"])
        if data.get("arrondissement"):
            return Perimetre(ZoneAlerte.ARRONDISSEMENT, arrondissement=data["arrondissement"])
        if data.get("centre"):
            rayon = data.get("rayon") or RAYON_DEFAUT_M
            lieu = f"{data['lat']:.4f}, {data['lon']:.4f}"
            return Perimetre(ZoneAlerte.RAYON, centre=data["centre"], rayon_m=rayon, lieu=lieu)
        return Perimetre()
