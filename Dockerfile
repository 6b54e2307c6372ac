# Production image: Django under gunicorn; the same image runs the Celery worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
# The filing page's service worker: Workbox bundled by esbuild (served by signalements.hors_ligne).
COPY signalements/hors_ligne/service-worker.js signalements/hors_ligne/
RUN npm run --silent build:sw

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=observatoire.settings.prod \
    STATIC_ROOT=/app/var/static \
    MEDIA_ROOT=/app/var/media
RUN apt-get update \
    && apt-get install -y --no-install-recommends gdal-bin postgresql-client \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 observatoire
WORKDIR /app
COPY requirements/ requirements/
# Runtime dependencies only, at the exact versions of the lock file.
RUN pip install --no-cache-dir -r requirements/base.in -c requirements/lock.txt
COPY --from=assets /app/node_modules node_modules
COPY . .
COPY --from=assets /app/var/build var/build
RUN SECRET_KEY=build-only-key-not-used-at-run-time-0123456789 ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput -v 0 \
    && mkdir -p var/media && chown -R observatoire var
USER observatoire
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health/').status != 200)"
# Two threads per worker overlap the waits on PostgreSQL (commits, queries) with other requests.
CMD ["gunicorn", "observatoire.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4", "--threads", "2", "--access-logfile", "-"]
