from django.apps import AppConfig


class SignalementsConfig(AppConfig):
    name = "signalements"
    verbose_name = "Signalements"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import Categorie, Choix, Question
        from .referentiel import forget

        # Filing reads categories and questions from Redis (referentiel): any change drops the copies.
        for model in (Question, Choix, Categorie):
            for signal in (post_save, post_delete):
                signal.connect(forget, sender=model, dispatch_uid=f"referentiel-{model.__name__}")
