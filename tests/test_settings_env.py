"""The environment variables of README.md's table read as documented.

Each case loads exchange/settings.py in a fresh subprocess with exactly the
given variables (and none of the machine's DJANGO_/DATABASE_/... ones), so
what is checked is what a deployment with that environment gets.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Loads the settings once per environment given on stdin and prints what
# they became; a refusal to start is reported as {"error": ...}.
PROBE = r"""
import importlib, json, os, sys
base = dict(os.environ)
out = []
for extra in json.load(sys.stdin):
    os.environ.clear()
    os.environ.update(base)
    for key, value in extra.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    try:
        if "exchange.settings" in sys.modules:
            s = importlib.reload(sys.modules["exchange.settings"])
        else:
            s = importlib.import_module("exchange.settings")
    except Exception as exc:
        out.append({"error": f"{type(exc).__name__}: {exc}"})
        continue
    db = s.DATABASES["default"]
    out.append({
        "DEBUG": s.DEBUG,
        "SECRET_KEY": s.SECRET_KEY,
        "SECRET_KEY_FALLBACKS": s.SECRET_KEY_FALLBACKS,
        "ALLOWED_HOSTS": s.ALLOWED_HOSTS,
        "CSRF_TRUSTED_ORIGINS": s.CSRF_TRUSTED_ORIGINS,
        "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT,
        "SECURE_PROXY_SSL_HEADER": getattr(s, "SECURE_PROXY_SSL_HEADER", None),
        "SECURE_HSTS_SECONDS": s.SECURE_HSTS_SECONDS,
        "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE,
        "EMAIL": {k: getattr(s, k, None) for k in (
            "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER",
            "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS", "EMAIL_USE_SSL")},
        "DB": {k: db.get(k) for k in (
            "ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT",
            "CONN_MAX_AGE", "CONN_HEALTH_CHECKS", "OPTIONS")},
        "CACHE": s.CACHES["default"],
        "RATELIMIT_CACHE": s.CACHES["ratelimit"],
        "TRUSTED_PROXY_COUNT": s.TRUSTED_PROXY_COUNT,
        "AXES_IPWARE_PROXY_COUNT": s.AXES_IPWARE_PROXY_COUNT,
        "AXES_IPWARE_META_PRECEDENCE_ORDER": s.AXES_IPWARE_META_PRECEDENCE_ORDER,
        "NUM_PROXIES": s.REST_FRAMEWORK["NUM_PROXIES"],
        "ADMIN_URL": s.ADMIN_URL,
        "SITE_URL": getattr(s, "SITE_URL", None),
        "MEDIA_ROOT": str(s.MEDIA_ROOT),
        "STATIC_ROOT": str(s.STATIC_ROOT),
        "LOG_FORMAT": s.LOG_FORMAT,
        "STORAGE": s.STORAGES["default"],
        "IMPORT_TMP": s.IMPORT_EXPORT_TMP_STORAGE_CLASS,
        "REPLICA": {k: s.DATABASES.get("replica", {}).get(k) for k in (
            "ENGINE", "HOST", "PORT", "NAME", "OPTIONS", "TEST")},
        "ROUTERS": getattr(s, "DATABASE_ROUTERS", []),
        "INTS": [s.SESSION_COOKIE_AGE, s.PROPOSAL_CONFIRM_MAX_AGE, s.PROPOSAL_MAX_UPLOAD_BYTES,
                 s.PROPOSAL_MAX_FILES, s.AXES_FAILURE_LIMIT,
                 int(s.AXES_COOLOFF_TIME.total_seconds() // 60), s.PAGE_CACHE_SECONDS],
        "STRINGS": [s.PROPOSAL_RATE_LIMIT, s.SITE_NAME, s.MAP_TILE_URL, s.DEFAULT_FROM_EMAIL,
                    s.ACCESSIBILITY_CONTACT_EMAIL,
                    s.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"]],
    })
print(json.dumps(out))
"""

# Every variable settings.py reads; the probe starts without any of them.
VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOW_DEV_SECRET",
    "SECRET_KEY_FALLBACKS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "DB_CONN_MAX_AGE",
    "DB_CONNECT_TIMEOUT",
    "REDIS_URL",
    "RATELIMIT_REDIS_URL",
    "EMAIL_URL",
    "DEFAULT_FROM_EMAIL",
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "SESSION_COOKIE_AGE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "BEHIND_TLS_PROXY",
    "ADMIN_URL",
    "MAP_TILE_URL",
    "MAP_TILE_ATTRIBUTION",
    "AXES_FAILURE_LIMIT",
    "AXES_COOLOFF_MINUTES",
    "PAGE_CACHE_SECONDS",
    "SITE_NAME",
    "SITE_URL",
    "PROPOSAL_RATE_LIMIT",
    "PROPOSAL_CONFIRM_MAX_AGE",
    "PROPOSAL_STATUS_MAX_AGE",
    "PROPOSAL_MAX_UPLOAD_BYTES",
    "PROPOSAL_MAX_FILES",
    "MAX_REQUEST_BYTES",
    "ADMIN_MAX_REQUEST_BYTES",
    "TRUSTED_PROXY_COUNT",
    "ACCESSIBILITY_CONTACT_EMAIL",
    "LOG_FORMAT",
    "LOG_LEVEL",
    "API_ANON_RATE",
    "STORAGE_URL",
    "STORAGE_URL_EXPIRE",
    "DB_REPLICA_CONNECT_TIMEOUT",
    "REPLICA_MAX_LAG_SECONDS",
    "REPLICA_STICKY_SECONDS",
    "REPLICA_CHECK_SECONDS",
    "REPLICA_RETRY_SECONDS",
}


def load(*environments):
    """Settings as loaded with each environment (plus SECRET_KEY unless given;
    a variable given as None is left unset)."""
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in VARIABLES and not k.startswith(("DJANGO_", "DATABASE_"))
    }
    cases = [{"SECRET_KEY": "k" * 50, **extra} for extra in environments]
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=base,
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_defaults_without_any_variable():
    (s,) = load({})
    assert s["DEBUG"] is False
    assert s["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1", "[::1]"]
    assert s["CSRF_TRUSTED_ORIGINS"] == []
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SESSION_COOKIE_SECURE"] is True
    assert s["SECURE_HSTS_SECONDS"] == 31536000
    assert s["SECURE_PROXY_SSL_HEADER"] is None
    assert s["DB"]["ENGINE"] == "django.db.backends.sqlite3"
    assert s["DB"]["NAME"] == str(ROOT / "db.sqlite3")
    assert s["DB"]["CONN_MAX_AGE"] == 60
    assert s["DB"]["CONN_HEALTH_CHECKS"] is True
    assert s["CACHE"] == {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    assert s["EMAIL"]["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert s["TRUSTED_PROXY_COUNT"] == 0
    assert s["AXES_IPWARE_PROXY_COUNT"] is None
    assert s["AXES_IPWARE_META_PRECEDENCE_ORDER"] == ["REMOTE_ADDR"]
    assert s["NUM_PROXIES"] == 0
    assert s["ADMIN_URL"] == "admin/"
    assert s["MEDIA_ROOT"] == str(ROOT / "media")
    assert s["STATIC_ROOT"] == str(ROOT / "staticfiles")
    assert s["LOG_FORMAT"] == "json"
    assert s["INTS"] == [28800, 259200, 10 * 1024 * 1024, 5, 5, 30, 120]
    assert s["STRINGS"] == [
        "5/h",
        "Regional Practice Exchange",
        "",
        "noreply@practice-exchange.localhost",
        "accessibility@practice-exchange.localhost",
        "120/minute",
    ]


@pytest.mark.parametrize("value", ["1", "true", "True", "yes", "on", " 1 ", "YES"])
def test_debug_on(value):
    (s,) = load({"DEBUG": value})
    assert s["DEBUG"] is True
    # Development defaults follow DEBUG.
    assert s["SECURE_SSL_REDIRECT"] is False
    assert s["SESSION_COOKIE_SECURE"] is False
    assert s["SECURE_HSTS_SECONDS"] == 0
    assert s["LOG_FORMAT"] == "text"


def test_debug_off_spellings():
    for s in load(*({"DEBUG": v} for v in ["0", "false", "no", "off", "", "False"])):
        assert s["DEBUG"] is False


def test_production_refuses_a_missing_secret_key_unless_allowed():
    missing, empty, allowed, refused, debug = load(
        {"SECRET_KEY": None},
        {"SECRET_KEY": "", "DEBUG": "0"},
        {"SECRET_KEY": None, "ALLOW_DEV_SECRET": "1"},
        {"SECRET_KEY": None, "ALLOW_DEV_SECRET": "0"},
        {"SECRET_KEY": None, "DEBUG": "1"},
    )
    assert "SECRET_KEY must be set" in missing["error"]
    assert "SECRET_KEY must be set" in empty["error"]
    assert "SECRET_KEY must be set" in refused["error"]
    assert allowed["SECRET_KEY"].startswith("dev-insecure-")
    assert debug["SECRET_KEY"].startswith("dev-insecure-")


def test_development_processes_share_one_key_throwaway_servers_do_not():
    # A digest sent by `manage.py send_alerts` must open in runserver: two
    # processes of one checkout with DEBUG on sign with the same key, kept
    # in the git-ignored .dev-secret-key (made by whichever came first).
    (first,) = load({"SECRET_KEY": None, "DEBUG": "1"})
    (second,) = load({"SECRET_KEY": None, "DEBUG": "1"})
    assert first["SECRET_KEY"] == second["SECRET_KEY"]
    assert first["SECRET_KEY"].startswith("dev-insecure-")
    assert (ROOT / ".dev-secret-key").read_text().strip() == first["SECRET_KEY"]
    (throwaway,) = load({"SECRET_KEY": None, "ALLOW_DEV_SECRET": "1"})
    (other,) = load({"SECRET_KEY": None, "ALLOW_DEV_SECRET": "1"})
    assert throwaway["SECRET_KEY"] != other["SECRET_KEY"] != first["SECRET_KEY"]


def test_secret_key_is_taken_as_written():
    # A generated key may start with "$" (Django's own alphabet has it).
    (s,) = load({"SECRET_KEY": "$ecret-with-$igns-" + "x" * 40})
    assert s["SECRET_KEY"] == "$ecret-with-$igns-" + "x" * 40


def test_lists_drop_spaces_and_blanks():
    s, blank = load(
        {
            "ALLOWED_HOSTS": " practices.example.eu, www.practices.example.eu ,,",
            "CSRF_TRUSTED_ORIGINS": "https://practices.example.eu, ",
        },
        {"ALLOWED_HOSTS": "", "CSRF_TRUSTED_ORIGINS": ""},
    )
    assert s["ALLOWED_HOSTS"] == ["practices.example.eu", "www.practices.example.eu"]
    assert s["CSRF_TRUSTED_ORIGINS"] == ["https://practices.example.eu"]
    assert blank["ALLOWED_HOSTS"] == []
    assert blank["CSRF_TRUSTED_ORIGINS"] == []


def test_tls_proxy_and_trusted_proxies():
    off, on = load(
        {"BEHIND_TLS_PROXY": "0", "SECURE_SSL_REDIRECT": "0"},
        {"BEHIND_TLS_PROXY": "yes", "TRUSTED_PROXY_COUNT": "2", "SECURE_HSTS_SECONDS": "60"},
    )
    assert off["SECURE_PROXY_SSL_HEADER"] is None
    assert off["SECURE_SSL_REDIRECT"] is False
    assert on["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert on["TRUSTED_PROXY_COUNT"] == 2
    assert on["AXES_IPWARE_PROXY_COUNT"] == 2
    assert on["AXES_IPWARE_META_PRECEDENCE_ORDER"] == ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    assert on["NUM_PROXIES"] == 2
    assert on["SECURE_HSTS_SECONDS"] == 60


def test_email_url_forms():
    smtp, starttls, smtps, smtps_port, bare, locmem, other = (
        s["EMAIL"]
        for s in load(
            {"EMAIL_URL": "smtp://mailer:p%40ss%2Fword@mail.example.eu"},
            {"EMAIL_URL": "smtp://mailer:secret@mail.example.eu:587?tls=1"},
            {"EMAIL_URL": "smtps://mailer:secret@mail.example.eu"},
            {"EMAIL_URL": "smtps://mail.example.eu:2465"},
            {"EMAIL_URL": "smtp://"},
            {"EMAIL_URL": "locmem://"},
            {"EMAIL_URL": "console://"},
        )
    )
    backend = "django.core.mail.backends.smtp.EmailBackend"
    assert smtp == {
        "EMAIL_BACKEND": backend,
        "EMAIL_HOST": "mail.example.eu",
        "EMAIL_PORT": 25,
        "EMAIL_HOST_USER": "mailer",
        "EMAIL_HOST_PASSWORD": "p@ss/word",
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
    }
    assert starttls == {
        **smtp,
        "EMAIL_PORT": 587,
        "EMAIL_HOST_PASSWORD": "secret",
        "EMAIL_USE_TLS": True,
    }
    assert smtps == {
        **smtp,
        "EMAIL_PORT": 465,
        "EMAIL_HOST_PASSWORD": "secret",
        "EMAIL_USE_SSL": True,
    }
    assert smtps_port == {
        **smtps,
        "EMAIL_PORT": 2465,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
    }
    assert bare == {
        **smtp,
        "EMAIL_HOST": "localhost",
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
    }
    assert locmem["EMAIL_BACKEND"] == "django.core.mail.backends.locmem.EmailBackend"
    assert other["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_database_url_forms():
    pg, socket, sqlite = (
        s["DB"]
        for s in load(
            {
                "DATABASE_URL": "postgres://app:p%40ss@db.example.eu:6543/exchange?sslmode=require",
                "DB_CONN_MAX_AGE": "0",
                "DB_CONNECT_TIMEOUT": "7",
            },
            {"DATABASE_URL": "postgres://%2Fvar%2Frun%2Fpostgresql/exchange"},
            {"DATABASE_URL": "sqlite:////tmp/other.sqlite3"},
        )
    )
    assert pg == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "exchange",
        "USER": "app",
        "PASSWORD": "p@ss",
        "HOST": "db.example.eu",
        "PORT": 6543,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"sslmode": "require", "connect_timeout": 7},
    }
    assert socket["HOST"] == "/var/run/postgresql"
    assert socket["OPTIONS"] == {"connect_timeout": 3}
    assert socket["CONN_MAX_AGE"] == 60
    assert sqlite["ENGINE"] == "django.db.backends.sqlite3"
    assert sqlite["NAME"] == "/tmp/other.sqlite3"
    assert sqlite["OPTIONS"] in (None, {})


def test_redis_url_absent_empty_or_present():
    absent, empty, present = (
        s["CACHE"] for s in load({}, {"REDIS_URL": ""}, {"REDIS_URL": "redis://cache:6379/2"})
    )
    assert absent == empty == {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    assert present["LOCATION"] == "redis://cache:6379/2"
    assert present["KEY_PREFIX"] == "exchange"


def test_rate_limit_counters_have_a_store_of_their_own_that_raises():
    absent, shared, own = (
        s["RATELIMIT_CACHE"]
        for s in load(
            {},
            {"REDIS_URL": "redis://cache:6379/2"},
            {"REDIS_URL": "redis://cache:6379/2", "RATELIMIT_REDIS_URL": "redis://limits:6379/0"},
        )
    )
    assert absent["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert absent["LOCATION"] == "ratelimit"  # not the default cache's instance
    # Django's own Redis backend: it raises when Redis is away (no IGNORE_EXCEPTIONS).
    assert shared["BACKEND"] == own["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert shared["LOCATION"] == "redis://cache:6379/2"
    assert own["LOCATION"] == "redis://limits:6379/0"


def test_secret_key_fallbacks_come_from_the_environment():
    unset, rotated = load({}, {"SECRET_KEY_FALLBACKS": "older-key, oldest-key,"})
    assert unset["SECRET_KEY_FALLBACKS"] == []
    assert rotated["SECRET_KEY_FALLBACKS"] == ["older-key", "oldest-key"]


def test_plain_values():
    (s,) = load(
        {
            "ADMIN_URL": "/staff/desk/",
            "MEDIA_ROOT": "/srv/media",
            "STATIC_ROOT": "/srv/static",
            "LOG_FORMAT": "text",
            "SESSION_COOKIE_AGE": "3600",
            "PROPOSAL_CONFIRM_MAX_AGE": "60",
            "PROPOSAL_MAX_UPLOAD_BYTES": "1000",
            "PROPOSAL_MAX_FILES": "2",
            "AXES_FAILURE_LIMIT": "3",
            "AXES_COOLOFF_MINUTES": "10",
            "PAGE_CACHE_SECONDS": "0",
            "PROPOSAL_RATE_LIMIT": "20/d",
            "SITE_NAME": "Interreg practices",
            "MAP_TILE_URL": "https://{s}.tiles.example.org/{z}/{x}/{y}.png",
            "DEFAULT_FROM_EMAIL": "portal@example.eu",
            "ACCESSIBILITY_CONTACT_EMAIL": "a11y@example.eu",
            "API_ANON_RATE": "10/second",
        }
    )
    assert s["ADMIN_URL"] == "staff/desk/"
    assert s["MEDIA_ROOT"] == "/srv/media"
    assert s["STATIC_ROOT"] == "/srv/static"
    assert s["LOG_FORMAT"] == "text"
    assert s["INTS"] == [3600, 60, 1000, 2, 3, 10, 0]
    assert s["STRINGS"] == [
        "20/d",
        "Interreg practices",
        "https://{s}.tiles.example.org/{z}/{x}/{y}.png",
        "portal@example.eu",
        "a11y@example.eu",
        "10/second",
    ]


def test_site_url_is_where_links_in_mails_sent_by_cron_point():
    default, production = load({}, {"SITE_URL": "https://practices.example.eu/"})
    assert default["SITE_URL"] == "http://localhost:8000"
    assert production["SITE_URL"] == "https://practices.example.eu"


def test_storage_url_moves_uploads_and_import_files_to_the_object_store():
    local, shared = load(
        {},
        {
            "STORAGE_URL": "s3://key:se%2Fcret@127.0.0.1:9000/media?tls=0",
            "STORAGE_URL_EXPIRE": "60",
        },
    )
    assert local["STORAGE"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert local["IMPORT_TMP"] == "import_export.tmp_storages.TempFolderStorage"
    assert shared["STORAGE"]["BACKEND"] == "storages.backends.s3.S3Storage"
    options = shared["STORAGE"]["OPTIONS"]
    assert options["endpoint_url"] == "http://127.0.0.1:9000"
    assert options["bucket_name"] == "media"
    assert (options["access_key"], options["secret_key"]) == ("key", "se/cret")
    assert options["querystring_auth"] is True and options["querystring_expire"] == 60
    assert options["default_acl"] is None
    assert shared["IMPORT_TMP"] == "import_export.tmp_storages.MediaStorage"


def test_replica_url_adds_a_routed_replica():
    alone, replicated = load(
        {"DATABASE_URL": "postgres://app@db1:5432/exchange"},
        {
            "DATABASE_URL": "postgres://app@db1:5432/exchange",
            "DATABASE_REPLICA_URL": "postgres://app@db2:5433/exchange",
        },
    )
    assert alone["ROUTERS"] == [] and alone["REPLICA"]["ENGINE"] is None
    assert replicated["ROUTERS"] == ["infra.replica.ReplicaRouter"]
    replica = replicated["REPLICA"]
    assert (replica["HOST"], replica["PORT"], replica["NAME"]) == ("db2", 5433, "exchange")
    assert replica["OPTIONS"] == {"connect_timeout": 1}
    assert replica["TEST"] == {"MIRROR": "default"}
