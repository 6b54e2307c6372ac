"""Settings shared by every environment.

Every deployment knob is an environment variable read once here through a
single ``environ.Env`` object, with a default that is safe for development.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEV_SECRET_KEY = "dev-only-secret-key-never-use-in-production"  # noqa: S105 - prod refuses it
SECRET_KEY = env("SECRET_KEY", default=DEV_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Addresses or networks (CIDR) of the reverse proxies / load balancers in front of the portal.
# Only their X-Forwarded-For is believed (observatoire.core.client.client_ip); empty: none is.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

# Absolute links in e-mails (tracking pages) start with this.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env("SITE_NAME", default="Observatoire métropolitain")
METROPOLE_NAME = env("METROPOLE_NAME", default="Métropole d'Aix-Marseille-Provence")
METROPOLE_EPCI_SIREN = env("METROPOLE_EPCI_SIREN", default="200054807")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "observatoire.core.staticfiles.PortalStaticFilesConfig",  # django.contrib.staticfiles
    "django.contrib.gis",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "rest_framework_gis",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "leaflet",
    "axes",
    "csp",
    # core apps
    "observatoire.core",
    "observatoire.territoires",
    "observatoire.accounts",
    "observatoire.identite",  # ProConnect and FranceConnect (OpenID Connect)
    "observatoire.connexions",  # RSSI journal of identity events, active sessions
    # Second factor (TOTP, recovery codes) mandatory for privileged roles (observatoire.mfa.policy)
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "observatoire.mfa",
    "observatoire.observatoires",
    "observatoire.indicateurs",
    "observatoire.imports",
    "observatoire.opendata",
    # thematic apps
    "habitat",
    "foncier",
    "mobilite",
    "fiscalite",
    "environnement",
    "signalements",
    "gouvernance",
    "observatoire.ogc",  # OGC API Features, tiles and CSW: serves the collections every app declares
    "observatoire.recherche",  # site search: reads every app above, so it comes last
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Puts the client's address (core.client.client_ip) on every log line of the request.
    "observatoire.core.request_log.ClientIPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # MAINTENANCE_MODE: a 503 page before sessions or the database are touched.
    "observatoire.core.middleware.MaintenanceModeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Who acts (for the RSSI journal) and the user's active session row, refreshed once a minute.
    "observatoire.connexions.middleware.ConnexionsMiddleware",
    "observatoire.core.middleware.LoginRequiredMiddleware",
    # A session of a privileged role reaches only the second factor's pages until it is passed.
    "observatoire.mfa.middleware.SecondFactorMiddleware",
    "observatoire.core.middleware.RejectNulBytesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "observatoire.core.middleware.ContentSecurityPolicyMiddleware",
    # Axes must come last so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "observatoire.urls"
WSGI_APPLICATION = "observatoire.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "observatoire.core.context_processors.portal",
            ],
        },
    },
]

# --- Database and cache -----------------------------------------------------
DATABASES = {"default": env.db_url("DATABASE_URL", default="postgis://postgres@127.0.0.1:5432/observatoire")}
DATABASES["default"]["ENGINE"] = "django.contrib.gis.db.backends.postgis"
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL's JIT spends ~0.6 s compiling the big aggregations of maps and dashboards, more
# than it saves on a web workload: off for the portal's connections.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="observatoire"),
        # A frozen Redis accepts connections and never answers: bound reads, not only connects.
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}

# --- Auth -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, refusing the demo accounts when DEBUG is off.
    "observatoire.accounts.backends.AccountBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "profile"
LOGOUT_REDIRECT_URL = "core:home"
# The name authenticator apps show next to the account's codes.
OTP_TOTP_ISSUER = SITE_NAME
# ProConnect (agents, élus, partners) and FranceConnect (citizens): each provider is offered on the
# login page only when its issuer, client id and secret are set (observatoire/identite/providers.py).
# Scopes default to what each federation documents; the redirect URIs to register are
# <site>/comptes/<proconnect|franceconnect>/retour/ and, after logout, <site>/comptes/deconnexion/retour/.
IDENTITE_PROVIDERS = {
    slug: {
        "issuer": env(f"{prefix}_ISSUER", default=""),
        "client_id": env(f"{prefix}_CLIENT_ID", default=""),
        "client_secret": env(f"{prefix}_CLIENT_SECRET", default=""),
        "scopes": env(f"{prefix}_SCOPES", default=""),
    }
    for slug, prefix in (("proconnect", "PROCONNECT"), ("franceconnect", "FRANCECONNECT"))
}
# Clock skew tolerated on the providers' tokens (iat, exp), in seconds.
IDENTITE_CLOCK_LEEWAY = env.int("IDENTITE_CLOCK_LEEWAY", default=120)
IDENTITE_HTTP_TIMEOUT = env.float("IDENTITE_HTTP_TIMEOUT", default=10)
# Staff accounts (every role but citoyen) unused this many days are disabled, warned a week before.
ACCOUNT_INACTIVITY_DAYS = env.int("ACCOUNT_INACTIVITY_DAYS", default=90)
ACCOUNT_INACTIVITY_WARNING_DAYS = env.int("ACCOUNT_INACTIVITY_WARNING_DAYS", default=7)
# The RSSI's journal of logins and account changes is kept this long, then purged every night.
CONNEXIONS_RETENTION_DAYS = env.int("CONNEXIONS_RETENTION_DAYS", default=365)
# Citizens confirm their e-mail address within this delay (seconds).
ACCOUNT_ACTIVATION_MAX_AGE = env.int("ACCOUNT_ACTIVATION_MAX_AGE", default=3 * 24 * 3600)

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
# Our page and Retry-After say how long the lock still lasts (axes would print "PT15M").
AXES_LOCKOUT_CALLABLE = "observatoire.accounts.lockout.lockout_response"
# The lock ends a cool-off after the failure that started it; attempts during the lock are
# refused without starting it over, so the remaining time shown is the real one.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
# Login throttling keys on the same client address as every other limit of the portal.
AXES_CLIENT_IP_CALLABLE = "observatoire.core.client.client_ip"

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="ne-pas-repondre@observatoire.local")

# --- I18N -------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français"))]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static and media -------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end libraries come from npm (package-lock.json), never from a CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
    # The cartesian partial bundle (scatter, bar, box… the traces our charts use): 1.5 MB, not 4.8.
    ("vendor/plotly", NODE_MODULES / "plotly.js-cartesian-dist-min"),
    # Vector tiles drawn by MapLibre inside the Leaflet maps (docs/adr/0014-tuiles-vectorielles-carto.md).
    ("vendor/maplibre-gl", NODE_MODULES / "maplibre-gl" / "dist"),
    ("vendor/maplibre-gl-leaflet", NODE_MODULES / "@maplibre" / "maplibre-gl-leaflet" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Geography --------------------------------------------------------------
# Geometries are stored in Lambert-93 (see docs/adr/0002-srid-lambert93.md).
STORAGE_SRID = 2154
# West, south, east, north of the reference territory (WGS84), used to frame maps.
SPATIAL_EXTENT = (4.70, 43.15, 5.85, 43.75)
MAP_TILES_URL = env("MAP_TILES_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILES_ATTRIBUTION = env(
    "MAP_TILES_ATTRIBUTION",
    default="&copy; contributeurs OpenStreetMap",
)
# National address search (BAN), e.g. https://api-adresse.data.gouv.fr/search/ ; empty: communes only.
ADRESSE_API_URL = env("ADRESSE_API_URL", default="")
# Seconds to wait for it: a map search falls back to communes, an Open311 filing gets a 503.
ADRESSE_API_TIMEOUT = env.float("ADRESSE_API_TIMEOUT", default=3.0)
LEAFLET_CONFIG = {
    "SPATIAL_EXTENT": SPATIAL_EXTENT,
    "DEFAULT_CENTER": (43.42, 5.30),
    "DEFAULT_ZOOM": 9,
    "TILES": [("OpenStreetMap", MAP_TILES_URL, {"attribution": MAP_TILES_ATTRIBUTION})]
    if MAP_TILES_URL
    else [],
    "RESET_VIEW": False,
}

# --- API --------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # Partners' scripts download restricted data with a token (gouvernance.api).
        "observatoire.accounts.backends.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "observatoire.core.api.schema.ErrorDocumentingAutoSchema",
    "DEFAULT_PARSER_CLASSES": [
        "observatoire.core.api.parsers.NulFreeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "observatoire.core.api.exceptions.json_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API de l'Observatoire métropolitain",
    "DESCRIPTION": "Territoires, indicateurs, signalements et open data de la métropole.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and ReDoc from PyPI (drf-spectacular-sidecar), not from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Deep links put a link inside each operation's toggle button (axe: nested-interactive).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "ENUM_NAME_OVERRIDES": {"SignalementStatusEnum": "signalements.enums.Status"},
}

# --- Celery -----------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 60 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request that publishes a task must not hang when Redis is down or frozen: give up
# within a second; work that matters is in an outbox swept by beat (signalements
# notifications, thumbnails). A frozen Redis still accepts connections, so the connect timeout
# alone is not enough: every read on the socket is bounded too (the worker's BRPOP reads only
# once data is there, so it is not cut short).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 0,
    "socket_connect_timeout": 0.5,
    "socket_timeout": 0.5,
}
# Bounded too: kombu copies a publish's retry policy into its connection's options, so the
# default (3 retries) would apply to every later connection attempt of the web process.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# The result backend's client, for the same reason (default: wait forever).
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_REDIS_SOCKET_TIMEOUT = 2
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {
        "task": "core.heartbeat",
        "schedule": 60.0,
    },
    "signalements-outbox": {
        "task": "signalements.send_pending_notifications",
        "schedule": 60.0,
    },
    "signalements-map-grid": {
        "task": "signalements.refresh_map_grid",
        "schedule": 300.0,
    },
    "signalements-dashboards": {
        "task": "signalements.warm_dashboards",
        # Under the snapshots' 5 minutes (dashboard/snapshots.py): the metropolis' default view stays fresh.
        "schedule": 240.0,
    },
    "signalements-thumbnails": {
        "task": "signalements.make_missing_thumbnails",
        "schedule": crontab(minute=10),
    },
    "signalements-purge-expired-keys": {
        "task": "signalements.purge_expired_keys",
        "schedule": crontab(minute=40),
    },
    "signalements-purge-personal-data": {
        "task": "signalements.purge_personal_data",
        "schedule": crontab(hour=3, minute=30),
    },
    "connexions-purge-journal": {
        "task": "connexions.purge_journal",
        "schedule": crontab(hour=3, minute=20),
    },
    "accounts-disable-inactive": {
        "task": "accounts.disable_inactive_accounts",
        "schedule": crontab(hour=6, minute=0),
    },
    "purge-expired-axes-attempts": {
        "task": "accounts.purge_login_attempts",
        "schedule": crontab(hour=3, minute=15),
    },
    "gouvernance-comite-reminders": {
        "task": "gouvernance.send_comite_reminders",
        "schedule": crontab(hour=7, minute=30),
    },
    "gouvernance-expire-access": {
        "task": "gouvernance.expire_access",
        "schedule": crontab(hour=0, minute=5),
    },
    "opendata-nightly-publication": {
        "task": "opendata.publish_all",
        "schedule": crontab(hour=2, minute=30),
    },
}
# Each import asks for its app's recompute; one lost while the broker was down is made up at night,
# before the open data publication (a call without a scheduling time always runs: core/coalesce.py).
RECOMPUTED_NIGHTLY = [
    "fiscalite.recompute_indicators", "environnement.recompute_indicators", "habitat.recompute_indicators",
    "foncier.recompute_indicators", "foncier.recompute_dvf", "mobilite.recompute_indicators",
]  # fmt: skip
for _rank, _task in enumerate(RECOMPUTED_NIGHTLY):
    _hour, _minute = divmod(90 + 5 * _rank, 60)  # from 01:30, five minutes apart
    CELERY_BEAT_SCHEDULE[f"nightly-{_task}"] = {
        "task": _task,
        "schedule": crontab(hour=_hour, minute=_minute),
    }

# --- Security (hardened further in prod) -------------------------------------
X_FRAME_OPTIONS = "DENY"
# Sites allowed to show the portal's embed views (a commune's map or portrait) in an <iframe>,
# as origins ("https://www.ville-exemple.fr"). Empty: nobody, like every other page.
EMBED_ALLOWED_ORIGINS = env.list("EMBED_ALLOWED_ORIGINS", default=[])
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# A refused form (expired page, cookies blocked) explained in French in the portal's layout.
CSRF_FAILURE_VIEW = "observatoire.core.errors.csrf_failure"
# Every page answers 503 (« maintenance en cours »), /health/ excepted, while this is on.
MAINTENANCE_MODE = env.bool("MAINTENANCE_MODE", default=False)


def _tile_origin(url):
    from urllib.parse import urlsplit

    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else None


# No 'unsafe-inline' script: our pages load every script from /static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # blob: lets plotly.js turn a chart into a PNG (it draws the SVG through a blob URL).
        "img-src": ["'self'", "data:", "blob:"] + [o for o in [_tile_origin(MAP_TILES_URL)] if o],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Debian 12 ships GDAL 3.6; the portal only reads spatial references it controls.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_ip": {"()": "observatoire.core.request_log.ClientIPFilter"}},
    "formatters": {
        "console": {"format": "%(asctime)s %(levelname)s %(name)s [client %(client_ip)s] %(message)s"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["client_ip"], "formatter": "console"}
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # WeasyPrint (PDF portrait) logs each layout step at INFO.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Signalements -------------------------------------------------------------
SIGNALEMENT_PHOTO_MAX_BYTES = env.int("SIGNALEMENT_PHOTO_MAX_BYTES", default=10 * 1024 * 1024)
SIGNALEMENT_PHOTO_MAX_PIXELS = env.int("SIGNALEMENT_PHOTO_MAX_PIXELS", default=40_000_000)
SIGNALEMENT_PHOTO_MAX_SIDE = env.int("SIGNALEMENT_PHOTO_MAX_SIDE", default=2048)
SIGNALEMENT_MAX_PHOTOS = 3
# Lifetime of the presigned URL a photo redirects to when media live on object storage (S3).
SIGNALEMENT_PHOTO_URL_EXPIRE = env.int("SIGNALEMENT_PHOTO_URL_EXPIRE", default=300)
# Similar open reports suggested before filing: same category, this close, this recent.
SIGNALEMENT_DUPLICATE_METRES = 50
SIGNALEMENT_DUPLICATE_DAYS = 30
# Anonymous filing: at most this many reports per IP address and window (seconds).
SIGNALEMENT_ANONYMOUS_LIMIT = env.int("SIGNALEMENT_ANONYMOUS_LIMIT", default=10)
SIGNALEMENT_ANONYMOUS_WINDOW = env.int("SIGNALEMENT_ANONYMOUS_WINDOW", default=3600)
# Signed-in filing: a generous limit per account, and anonymous « Je soutiens » per IP address.
SIGNALEMENT_ACCOUNT_LIMIT = env.int("SIGNALEMENT_ACCOUNT_LIMIT", default=30)
SIGNALEMENT_ACCOUNT_WINDOW = env.int("SIGNALEMENT_ACCOUNT_WINDOW", default=3600)
SIGNALEMENT_SUPPORT_LIMIT = env.int("SIGNALEMENT_SUPPORT_LIMIT", default=30)
SIGNALEMENT_SUPPORT_WINDOW = env.int("SIGNALEMENT_SUPPORT_WINDOW", default=3600)
# A retried filing (same Idempotency-Key or form token) returns the first report for this long.
SIGNALEMENT_IDEMPOTENCY_HOURS = env.int("SIGNALEMENT_IDEMPOTENCY_HOURS", default=24)
# Reporter's e-mail, IP and account link are erased this many months after closure.
SIGNALEMENT_PERSONAL_DATA_MONTHS = env.int("SIGNALEMENT_PERSONAL_DATA_MONTHS", default=12)
# Area alerts (signalements.alertes): a subscription not confirmed within this many hours is
# deleted; at most this many subscriptions per client address, and per e-mail address, in each
# window (seconds), and this many awaiting confirmation per e-mail address at once.
ALERTES_CONFIRMATION_HOURS = env.int("ALERTES_CONFIRMATION_HOURS", default=48)
ALERTES_IP_LIMIT = env.int("ALERTES_IP_LIMIT", default=10)
ALERTES_EMAIL_LIMIT = env.int("ALERTES_EMAIL_LIMIT", default=3)
ALERTES_WINDOW = env.int("ALERTES_WINDOW", default=3600)
ALERTES_PENDING_PER_EMAIL = env.int("ALERTES_PENDING_PER_EMAIL", default=3)
# Tasks outside an app's tasks.py, which autodiscovery does not find.
CELERY_IMPORTS = ["signalements.alertes.tasks"]
CELERY_BEAT_SCHEDULE["signalements-alertes-digest"] = {
    "task": "signalements.alertes.send_daily_digests",
    "schedule": crontab(hour=env.int("ALERTES_DIGEST_HOUR", default=7), minute=0),
}
CELERY_BEAT_SCHEDULE["signalements-alertes-sweep"] = {
    "task": "signalements.alertes.sweep_immediate_alerts",
    "schedule": crontab(minute="*/15"),
}
CELERY_BEAT_SCHEDULE["signalements-alertes-expire"] = {
    "task": "signalements.alertes.delete_unconfirmed",
    "schedule": crontab(minute=25),
}

# --- Mobilité -------------------------------------------------------------------
# A stop counts as "well served" from this many passages on the typical weekday.
MOBILITE_SEUIL_PASSAGES = env.int("MOBILITE_SEUIL_PASSAGES", default=20)

# --- Open data ------------------------------------------------------------------
OPENDATA_PUBLISHER = env("OPENDATA_PUBLISHER", default="Métropole d'Aix-Marseille-Provence")
OPENDATA_CATALOGUE_TITLE = env(
    "OPENDATA_CATALOGUE_TITLE", default="Données ouvertes de la Métropole d'Aix-Marseille-Provence"
)
OPENDATA_CATALOGUE_DESCRIPTION = env(
    "OPENDATA_CATALOGUE_DESCRIPTION",
    default="Jeux de données publiés par défaut par la métropole : observatoires, signalements, territoire.",
)
# Who publishes, whom to write to and what territory: harvesters (data.gouv.fr, CKAN) keep these.
# The publisher's URI: its SIREN in the State's register of legal entities.
OPENDATA_PUBLISHER_URI = env(
    "OPENDATA_PUBLISHER_URI",
    default=f"https://annuaire-entreprises.data.gouv.fr/entreprise/{METROPOLE_EPCI_SIREN}",
)
# A mailbox someone reads: the contact point of every dataset that names none of its own.
OPENDATA_CONTACT_EMAIL = env("OPENDATA_CONTACT_EMAIL", default="opendata@ampmetropole.fr")
# The territory in the Code officiel géographique (the EPCI by its SIREN, through the State's API Géo).
OPENDATA_SPATIAL_URI = env(
    "OPENDATA_SPATIAL_URI", default=f"https://geo.api.gouv.fr/epcis/{METROPOLE_EPCI_SIREN}"
)
# The tabular API's copy of each published version, as memory-mapped Arrow files (local disk,
# even when the media live on object storage; rebuilt from the published file when missing).
OPENDATA_TABULAR_CACHE = env.path("OPENDATA_TABULAR_CACHE", default=BASE_DIR / "var" / "tabulaire")

# --- Open data: pushes to external portals (off unless a URL and a key are set) -----
OPENDATA_CKAN_URL = env("OPENDATA_CKAN_URL", default="").rstrip("/")
OPENDATA_CKAN_API_KEY = env("OPENDATA_CKAN_API_KEY", default="")
OPENDATA_CKAN_ORGANIZATION = env("OPENDATA_CKAN_ORGANIZATION", default="")
OPENDATA_DATAGOUV_URL = env("OPENDATA_DATAGOUV_URL", default="https://www.data.gouv.fr/api/1").rstrip("/")
OPENDATA_DATAGOUV_API_KEY = env("OPENDATA_DATAGOUV_API_KEY", default="")
OPENDATA_DATAGOUV_ORGANIZATION = env("OPENDATA_DATAGOUV_ORGANIZATION", default="")
# data.gouv.fr spatial zones (e.g. "fr:epci:200054807"): its coverage is a list of zone ids, not free text.
OPENDATA_DATAGOUV_ZONES = env.list("OPENDATA_DATAGOUV_ZONES", default=[])
# Catches up after the nightly publication on pushes lost to a broker or portal outage.
CELERY_BEAT_SCHEDULE["opendata-push-pending"] = {
    "task": "opendata.push_pending",
    "schedule": crontab(hour=4, minute=45),
}
CELERY_BEAT_SCHEDULE["opendata-prune-tabular-cache"] = {
    "task": "opendata.prune_tabular_cache",
    "schedule": crontab(hour=5, minute=15),
}
# Links to the services' own systems (signalements.liaisons): sends due (first try, backoff
# retries) and the state of the requests filed on their Open311 servers.
CELERY_BEAT_SCHEDULE["signalements-liaisons-envois"] = {
    "task": "signalements.liaisons.send_due_envois",
    "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["signalements-liaisons-suivi"] = {
    "task": "signalements.liaisons.poll_open311",
    "schedule": env.float("LIAISONS_POLL_SECONDS", default=300.0),
}
