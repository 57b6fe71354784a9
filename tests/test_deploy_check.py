"""With DEBUG off and a production-like environment, `check --deploy` is clean."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ISSUE = re.compile(r"^\S*: \(([\w.]+\.[CEWI]\d+)\)", re.MULTILINE)


def production_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="practices.example.eu",
        SITE_URL="https://practices.example.eu",
        DJANGO_SETTINGS_MODULE="exchange.settings",
        DATABASE_URL="sqlite:////tmp/deploy-check-unused.sqlite3",
        **extra,
    )
    return env


def run(args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_nothing():
    result = run(["check", "--deploy", "--fail-level", "WARNING"], production_env())
    output = result.stdout + result.stderr
    assert ISSUE.findall(output) == [], output
    assert result.returncode == 0, output
    assert "identified no issues" in output


def test_check_deploy_warns_when_mailed_links_would_point_to_localhost():
    env = production_env()
    del env["SITE_URL"]
    result = run(["check", "--deploy"], env)
    assert ISSUE.findall(result.stdout + result.stderr) == ["practices.W001"]


def test_production_settings_are_strict():
    code = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_HSTS_SECONDS >= 31536000,"
        " s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])"
    )
    env = production_env(MAP_TILE_URL="https://{s}.tiles.example.org/{z}/{x}/{y}.png")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "True True True True [\"'self'\", 'data:', 'https://*.tiles.example.org']"
    )


HSTS_HEADER = (
    "import django; django.setup(); from django.test import Client;"
    "print(Client().get('/healthz', secure=True)['Strict-Transport-Security'])"
)


def hsts_header(**extra):
    env = {**production_env(**extra), "ALLOWED_HOSTS": "testserver"}
    result = subprocess.run(
        [sys.executable, "-c", HSTS_HEADER], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_hsts_covers_this_host_only_unless_the_operator_opts_in():
    # On a subdomain, includeSubDomains and preload would pin the parent domain.
    assert hsts_header() == "max-age=31536000"
    opted_in = hsts_header(SECURE_HSTS_INCLUDE_SUBDOMAINS="1", SECURE_HSTS_PRELOAD="1")
    assert opted_in == "max-age=31536000; includeSubDomains; preload"


def test_check_deploy_is_clean_with_hsts_opted_in():
    env = production_env(SECURE_HSTS_INCLUDE_SUBDOMAINS="1", SECURE_HSTS_PRELOAD="1")
    result = run(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["SECRET_KEY"]
    result = run(["check"], env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_demo_database_checks_print_no_warning(tmp_path):
    # `make demo` migrates SQLite, which runs the database checks: the events'
    # covering index must not warn there (SQLite builds it without INCLUDE).
    env = {**production_env(), "DEBUG": "1"}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    result = run(["check", "--database", "default", "--fail-level", "WARNING"], env)
    output = result.stdout + result.stderr
    assert ISSUE.findall(output) == [], output
    assert result.returncode == 0, output
