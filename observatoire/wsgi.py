import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "observatoire.settings.prod")

application = get_wsgi_application()

# The ~300 000 objects of a loaded Django app never die: moved out of the collector's reach, they no
# longer make a full collection cost 0.2 s in the middle of a request (benchmarks/dvf.py --pages).
gc.freeze()
