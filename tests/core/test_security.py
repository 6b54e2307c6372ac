import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from observatoire.settings.base import DEV_SECRET_KEY

GOOD_KEY = "k" * 50
HOST = "portail.exemple.fr"
PRINT_HSTS = (
    "import django; django.setup(); from django.conf import settings; print(settings.SECURE_HSTS_SECONDS)"
)


def test_pages_send_a_strict_content_security_policy(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_templates_hold_no_inline_script():
    for path in (settings.BASE_DIR / "templates").rglob("*.html"):
        text = path.read_text()
        for chunk in text.split("<script")[1:]:
            assert chunk.lstrip().startswith("src="), f"inline <script> in {path}"
        assert " on" + "click=" not in text and " on" + "load=" not in text, path


def _import_prod_settings(**env):
    environment = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "ALLOWED_HOSTS")}
    environment.update(env, DJANGO_SETTINGS_MODULE="observatoire.settings.prod")
    return subprocess.run(
        [sys.executable, "-c", PRINT_HSTS],
        capture_output=True,
        text=True,
        env=environment,
        cwd=settings.BASE_DIR,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ALLOWED_HOSTS": HOST}, "SECRET_KEY doit être défini"),
        ({"SECRET_KEY": DEV_SECRET_KEY, "ALLOWED_HOSTS": HOST}, "SECRET_KEY doit être défini"),
        ({"SECRET_KEY": GOOD_KEY, "DEBUG": "True", "ALLOWED_HOSTS": HOST}, "DEBUG doit valoir False"),
        ({"SECRET_KEY": GOOD_KEY}, "ALLOWED_HOSTS doit lister"),
    ],
    ids=["no-secret", "dev-secret", "debug", "no-hosts"],
)
def test_production_refuses_unsafe_settings(env, message):
    result = _import_prod_settings(**env)
    assert result.returncode != 0
    assert "Configuration de production refusée" in result.stderr
    assert message in result.stderr


def test_production_starts_with_safe_settings():
    result = _import_prod_settings(SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS=HOST)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "31536000"


def test_check_function_lists_every_problem():
    from observatoire.settings.checks import check_production_settings

    with pytest.raises(ImproperlyConfigured) as error:
        check_production_settings("", True, [])
    assert all(word in str(error.value) for word in ("SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"))
