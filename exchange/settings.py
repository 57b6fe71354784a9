"""Settings for the good-practice exchange portal.

Everything that differs between a laptop and production comes from the
environment (12-factor). The defaults are safe for development: SQLite file,
local-memory cache, e-mails printed to the console.
"""

import datetime
import os
import secrets
from pathlib import Path

import dj_database_url
import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from infra import storage

BASE_DIR = Path(__file__).resolve().parent.parent


env = environ.Env()


def env_list(name, default=()):
    # django-environ keeps the spaces and blank items of "a, b," ; an empty
    # origin would fail Django's checks, so they are dropped as before.
    return [item for item in env.list(name, cast=str.strip, default=list(default)) if item]


DEBUG = env.bool("DEBUG", default=False)

# Production must set its own key and keep it. Read as written:
# django-environ would take a key starting with "$" for the name of another
# variable.
DEV_SECRET_KEY_PREFIX = "dev-insecure-"
DEV_SECRET_KEY_FILE = BASE_DIR / ".dev-secret-key"


def dev_secret_key():
    """Return the development key, kept in the git-ignored DEV_SECRET_KEY_FILE.

    One key for every process of a checkout, so that a link signed by one
    (a digest sent by ``manage.py send_alerts``) opens in another (runserver,
    also after its autoreload). Where the file cannot be written, a key per process.
    """
    key = DEV_SECRET_KEY_PREFIX + secrets.token_urlsafe(40)
    try:
        return DEV_SECRET_KEY_FILE.read_text().strip() or key
    except FileNotFoundError:
        pass
    except OSError:
        return key
    draft = DEV_SECRET_KEY_FILE.with_name(f"{DEV_SECRET_KEY_FILE.name}.{os.getpid()}")
    try:
        draft.write_text(key + "\n")
        draft.chmod(0o600)
        # link() fails if another process got there first: all use its key.
        os.link(draft, DEV_SECRET_KEY_FILE)
    except FileExistsError:
        key = DEV_SECRET_KEY_FILE.read_text().strip()
    except OSError:
        pass
    finally:
        draft.unlink(missing_ok=True)
    return key


if os.environ.get("SECRET_KEY"):
    SECRET_KEY = os.environ["SECRET_KEY"]
elif DEBUG:
    SECRET_KEY = dev_secret_key()
else:
    # ALLOW_DEV_SECRET's throwaway servers: a key per process.
    SECRET_KEY = DEV_SECRET_KEY_PREFIX + secrets.token_urlsafe(40)
if (
    not DEBUG
    and SECRET_KEY.startswith(DEV_SECRET_KEY_PREFIX)
    and not env.bool("ALLOW_DEV_SECRET", default=False)
):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set in the environment when DEBUG is off (set DEBUG=1 for development)."
    )

# Old keys, newest first, still accepted for signatures after a rotation
# (sessions, proposers' status links): comma-separated, dropped once old
# links no longer matter.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # django.contrib.admin, whose site checks "View on site" (core/admin_site.py).
    "exchange.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_filters",
    "django_countries",  # country names in Polish and Romanian (core/countries.py)
    "simple_history",
    "import_export",
    "rest_framework",
    "drf_spectacular",
    "axes",
    "csp",
    "infra",
    "core",
    "practices",
    "events",
    "portal",
]

MIDDLEWARE = [
    # First, so that every response carries a request id and is logged.
    "infra.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After the locale, so that its 400 page is in the visitor's language.
    "infra.middleware.QueryStringLimitMiddleware",
    # Before the CSRF check, which reads (and spools to disk) the whole body.
    "infra.middleware.RequestBodyLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "infra.middleware.DatabaseUnavailableMiddleware",
    # After it, so that a replica failing under a view is seen here first.
    "infra.replica.ReplicaRoutingMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

# django-axes counts failed logins first; a request-less authenticate()
# (management commands, tests) skips it, see infra.security.AxesBackend.
AUTHENTICATION_BACKENDS = [
    "infra.security.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "exchange.urls"
WSGI_APPLICATION = "exchange.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "infra.links.site_links",
            ],
        },
    },
]

# SQLite keeps `make demo` free of services; production sets DATABASE_URL.
# dj-database-url, not env.db(): django-environ leaves a socket directory
# quoted (postgres://%2Fvar%2Frun%2Fpostgresql/exchange).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env.int("DB_CONN_MAX_AGE", default=60),
        # A connection that died with a database restart is replaced on the
        # next request instead of failing it.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast while the database is unreachable instead of hanging workers.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int(
        "DB_CONNECT_TIMEOUT", default=3
    )

# A streaming replica for anonymous visitors' reads; the router sends
# everything else to the primary and skips a replica that lags or is away
# (infra/replica.py, docs/deployment.md).
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=env.int("DB_CONN_MAX_AGE", default=60),
        conn_health_checks=True,
    )
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        # A replica that does not answer at once is skipped, not waited for.
        DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = env.int(
            "DB_REPLICA_CONNECT_TIMEOUT", default=1
        )
    # Tests read the replica through the primary's connection.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["infra.replica.ReplicaRouter"]
# Reads skip a replica further behind than this, and every node reads from
# the primary for REPLICA_STICKY_SECONDS after a public edit (as does a
# visitor who wrote): keep it above the lag bound plus the check interval.
REPLICA_MAX_LAG_SECONDS = env.float("REPLICA_MAX_LAG_SECONDS", default=2.0)
REPLICA_STICKY_SECONDS = env.int("REPLICA_STICKY_SECONDS", default=5)
REPLICA_CHECK_SECONDS = env.float("REPLICA_CHECK_SECONDS", default=1.0)
REPLICA_RETRY_SECONDS = env.float("REPLICA_RETRY_SECONDS", default=5.0)
# Response headers saying which process answered, which database it read and
# how the page cache served the page (make clustertest reads them). Off in
# production: they describe the servers to anyone.
DIAGNOSTIC_HEADERS = env.bool("DIAGNOSTIC_HEADERS", default=False)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # A lost Redis means no cache, not errors: django-redis answers
            # as a miss and logs. Short timeouts, since every call of a
            # request waits them out while Redis hangs.
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "exchange",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.1,
                "SOCKET_TIMEOUT": 0.1,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "exchange.cache"

# Rate-limit counters (infra.ratelimit) -------------------------------------
# A cache of their own, so that pages filling the default cache never evict
# them, and one that raises when its server is away, so that limits fail
# closed (the default cache fails soft). Its Redis must not evict keys either:
# no maxmemory, or maxmemory-policy noeviction (RATELIMIT_REDIS_URL may name
# another instance). Without Redis, each process counts for itself.
RATELIMIT_REDIS_URL = env.str("RATELIMIT_REDIS_URL", default=REDIS_URL)
if RATELIMIT_REDIS_URL:
    CACHES["ratelimit"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": RATELIMIT_REDIS_URL,
        "KEY_PREFIX": "exchange",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
else:
    CACHES["ratelimit"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "ratelimit",
        # Far more addresses than one process counts at once: none is culled.
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }

EMAIL_URL = env.str("EMAIL_URL", default="")
_email_scheme = EMAIL_URL.partition("://")[0]
if _email_scheme in {"smtp", "smtps"}:
    # django-environ parses the address; the flags keep this README's forms,
    # which it reads otherwise: smtps:// is implicit TLS (its smtp+ssl://),
    # smtp://...?tls=1 is STARTTLS.
    _email = env.email_url_config(EMAIL_URL, backend="django.core.mail.backends.smtp.EmailBackend")
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_USE_SSL = _email_scheme == "smtps"
    EMAIL_USE_TLS = not EMAIL_USE_SSL and _email.get("OPTIONS", {}).get("TLS") == 1
    EMAIL_HOST = _email["EMAIL_HOST"] or "localhost"
    EMAIL_PORT = _email["EMAIL_PORT"] or (465 if EMAIL_USE_SSL else 25)
    EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
    EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
elif _email_scheme == "locmem":
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@practice-exchange.localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("pl", _("Polish")),
    ("ro", _("Romanian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Content translations (django-parler): staff-entered versions of a text in an
# interface language. No fallback (without a version the original is shown),
# and no cache of its own: infra/caching.py is the one cache.
PARLER_LANGUAGES = {
    None: [{"code": code} for code, _name in LANGUAGES],
    "default": {"fallbacks": [], "hide_untranslated": True},
}
PARLER_ENABLE_CACHING = False
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files live outside the static root and are never served by WhiteNoise.
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Several app nodes share an S3-compatible object store instead of the
# disk (infra/storage.py, docs/deployment.md): uploads, and import files
# between an import's dry run and its confirm.
STORAGE_URL = env.str("STORAGE_URL", default="")
STORAGES = storage.storages(
    STORAGE_URL,
    staticfiles={"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    expire=env.int("STORAGE_URL_EXPIRE", default=300),
)
IMPORT_EXPORT_TMP_STORAGE_CLASS = storage.import_tmp_storage_class(STORAGE_URL)

# Security headers; HTTPS-only settings switch on whenever DEBUG is off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
# includeSubDomains and preload reach beyond this host: a portal on
# practices.example.eu would pin (or submit to the browsers' preload list)
# all of example.eu. The operator of the whole domain opts in; the deploy
# checks asking for them are silenced otherwise, as the choice is deliberate.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
    # SQLite builds a covering index (event_listing_idx) without its INCLUDE
    # columns, as Django's hint says; only PostgreSQL needs them.
    *(["models.W040"] if DATABASES["default"]["ENGINE"].endswith("sqlite3") else []),
]
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The admin lives under a configurable path so that scanners do not find it
# at the well-known address.
ADMIN_URL = env.str("ADMIN_URL", default="admin/").strip("/") + "/"

# An optional background tile layer for maps; pins show without it.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="")
MAP_TILE_ATTRIBUTION = env.str("MAP_TILE_ATTRIBUTION", default="")

# Content-Security-Policy (django-csp): our own origin only; inline script
# or style only with the per-response nonce; map tiles from MAP_TILE_URL's
# origin when one is configured. Violations are logged (infra.security).
_tile_origin = ""
if MAP_TILE_URL:
    from urllib.parse import urlsplit

    _tile = urlsplit(MAP_TILE_URL.replace("{s}", "*"))
    _tile_origin = f"{_tile.scheme}://{_tile.netloc}" if _tile.scheme and _tile.netloc else ""
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", *([_tile_origin] if _tile_origin else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "report-uri": "/csp-report/",
    },
}

# Admin login throttling (django-axes): 5 wrong passwords from one address
# lock that address out for 30 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
# Per address, whatever the usernames: keyed on username and address, one
# address could try a password against every account. A success does not
# reset the count, or a signed-in account would wipe its address's failures
# against the others; failures lapse after the cool-off.
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "infra.security.lockout_response"
AXES_VERBOSE = False

# Request bodies (infra.middleware.RequestBodyLimitMiddleware) ---------------
# Refused with a 413 on their Content-Length, before anything reads them.
# Views taking files accept more (the proposal form: its files plus 3 MB of
# text); the admin accepts ADMIN_MAX_REQUEST_BYTES from signed-in staff.
MAX_REQUEST_BYTES = env.int("MAX_REQUEST_BYTES", default=3 * 1024 * 1024)
ADMIN_MAX_REQUEST_BYTES = env.int("ADMIN_MAX_REQUEST_BYTES", default=50 * 1024 * 1024)

# Seconds an anonymous visitor's page stays in the whole-page cache
# (infra.caching); an edit makes it stale at once. 0 turns it off.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=120)
# Cache layers turned off, to measure what each one saves (bench/layers.py):
# fragments, facets, counts, recent-pages, kept. Empty in production.
CACHE_LAYERS_OFF = env.list("CACHE_LAYERS_OFF", default=[])
# Pages of the practice listing an anonymous visitor may make the portal build
# afresh (not served from the page cache), and downloads of any list, per
# client address and period; beyond, the 429 page (infra.caching). Empty: no limit.
LISTING_BUILD_RATE = env.str("LISTING_BUILD_RATE", default="120/m")
EXPORT_RATE = env.str("EXPORT_RATE", default="10/m")
# Combobox suggestions (/suggest/<kind>/) per client address and period; beyond,
# 429. The combobox asks once a pause in typing. Empty: no limit.
SUGGEST_RATE = env.str("SUGGEST_RATE", default="120/m")

SITE_NAME = env.str("SITE_NAME", default="Regional Practice Exchange")
# The portal's public address: mails sent outside a request (alert digests by
# cron, relayed messages) have no other way to link back.
SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")

# Practice proposals from visitors (practices.services, practices.uploads).
# Submissions per client IP address (hashed) and period, counted in the cache: "5/h", "20/d".
PROPOSAL_RATE_LIMIT = env.str("PROPOSAL_RATE_LIMIT", default="5/h")
# Messages to the people behind a practice (practices.contact_views): posts per
# client address, and messages relayed per practice, in the same counters.
CONTACT_RATE_LIMIT = env.str("CONTACT_RATE_LIMIT", default="5/h")
CONTACT_PRACTICE_RATE_LIMIT = env.str("CONTACT_PRACTICE_RATE_LIMIT", default="10/d")
# Seconds a confirmation link stays valid; `manage.py expire_proposals` then deletes the proposal.
PROPOSAL_CONFIRM_MAX_AGE = env.int("PROPOSAL_CONFIRM_MAX_AGE", default=3 * 24 * 60 * 60)
# Seconds a link to the proposer's status page (and its edit form) works
# after it was sent; each e-mail to the proposer carries a fresh one.
PROPOSAL_STATUS_MAX_AGE = env.int("PROPOSAL_STATUS_MAX_AGE", default=365 * 24 * 60 * 60)
PROPOSAL_MAX_UPLOAD_BYTES = env.int("PROPOSAL_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
PROPOSAL_MAX_FILES = env.int("PROPOSAL_MAX_FILES", default=5)
# Reverse proxies in front of the app that append to X-Forwarded-For; 0 trusts
# only REMOTE_ADDR. Used to tell visitors apart for rate limits.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Failed logins count per client address as the trusted proxies saw it.
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if TRUSTED_PROXY_COUNT else ["REMOTE_ADDR"]
)
# Where visitors report an accessibility problem; published in the
# accessibility statement, so it must be a role address of the operator.
ACCESSIBILITY_CONTACT_EMAIL = env.str(
    "ACCESSIBILITY_CONTACT_EMAIL", default="accessibility@practice-exchange.localhost"
)

# JSON lines with the request id in production (or LOG_FORMAT=json);
# readable lines in development. See exchange/logs.py.
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "infra.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "infra.logs.JsonFormatter"},
        "text": {"format": "%(levelname)s %(name)s %(request_id)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # exchange.request logs every request with its status; this one
        # would repeat each 404 with the full path.
        "django.request": {"level": "ERROR"},
    },
}

# Open data: the read-only API at /api/v1/ (exchange/api/). Anonymous and
# JSON only; the throttle keeps one client from starving the others (bulk
# re-users take the CSV/JSON exports instead). Rates: "<n>/<second|minute|hour|day>".
INSTALLED_APPS += ["drf_spectacular_sidecar"]  # Swagger UI files, served by us, no CDN
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # DRF's anonymous throttle counted in the rate-limit store; fails closed.
    "DEFAULT_THROTTLE_CLASSES": ["portal.api.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env.str("API_ANON_RATE", default="120/minute")},
    "UNAUTHENTICATED_USER": None,
    # Throttle by the client's address as the trusted proxies saw it; never
    # by a client-supplied X-Forwarded-For (DRF trusts all of it when None).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Regional Practice Exchange API",
    "DESCRIPTION": (
        "Read-only open data: published good practices, events, projects, organisations, "
        "regions, topics and programmes. Lists take the same filters as the portal's pages."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The schema is generated and validated by tests/opendata/test_schema.py;
    # as a deploy check it would warn that some listing filters (method=
    # filters) are documented as strings, which they are (see the API views).
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
    # Several models have a "kind" and a "status": name each set of choices.
    "ENUM_NAME_OVERRIDES": {
        "RegionKindEnum": "core.models.Region.Kind",
        "OrganisationKindEnum": "core.models.Organisation.Kind",
        "EventKindEnum": "events.models.Event.Kind",
        "MaterialKindEnum": "events.models.Material.Kind",
        "ProjectStatusEnum": "core.models.Project.Status",
        "PracticeStatusEnum": "practices.models.PracticeStatus",
    },
}

# Admin imports (django-import-export) run in one transaction: a file with a
# bad row changes nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True
# A cell starting with "=" (a title from an accepted proposal, say) is
# written without it, so that no spreadsheet runs it as a formula.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
