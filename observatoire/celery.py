import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "observatoire.settings.dev")

app = Celery("observatoire")
# The CELERY_ namespace makes test settings (broker, eager flags) really apply.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
