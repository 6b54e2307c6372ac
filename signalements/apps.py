from django.apps import AppConfig


class SignalementsConfig(AppConfig):
    name = "signalements"
    verbose_name = "Signalements"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import Categorie, Choix, Question
        from .questions.answers import forget_questions

        # Filing reads the questions from Redis (questions.answers.active_questions): any change drops it.
        for model in (Question, Choix, Categorie):
            for signal in (post_save, post_delete):
                signal.connect(forget_questions, sender=model, dispatch_uid=f"questions-{model.__name__}")
