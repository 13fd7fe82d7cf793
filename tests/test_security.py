"""Sign-in protection, sessions, and the production settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db
PASSWORD = "demo-pass-123"
ROOT = Path(settings.BASE_DIR)


def sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.axes
def test_repeated_failures_lock_the_account_out_in_vietnamese(client, demo):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "thuky", "wrong").status_code == 200
    assert sign_in(client, "thuky", "wrong").status_code == 429  # the limit-th failure locks
    locked = sign_in(client, "thuky", PASSWORD)  # even the right password now

    assert locked.status_code == 429
    assert "Đăng nhập bị tạm khóa" in locked.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.axes
def test_a_success_before_the_limit_resets_the_count(client, demo):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "thuky", "wrong")
    assert sign_in(client, "thuky", PASSWORD).status_code == 302
    client.logout()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "thuky", "wrong")
    assert sign_in(client, "thuky", PASSWORD).status_code == 302


NGINX = "127.0.0.1"  # behind the proxy every request arrives from its address


def sign_in_from(client, address, username, password, forwarded_for=None):
    """A sign-in that came through nginx, which appended `address` to X-Forwarded-For."""
    chain = f"{forwarded_for}, {address}" if forwarded_for else address
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=NGINX,
        HTTP_X_FORWARDED_FOR=chain,
    )


@pytest.fixture
def thuky(django_user_model):
    return django_user_model.objects.create_user("thuky", password=PASSWORD)


@pytest.mark.axes
def test_behind_the_proxy_a_brute_force_from_one_address_is_still_stopped(client, thuky, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in_from(client, "203.0.113.7", "thuky", "wrong")

    # Forging an earlier hop does not change the address nginx saw.
    locked = sign_in_from(client, "203.0.113.7", "thuky", PASSWORD, forwarded_for="198.51.100.1")

    assert locked.status_code == 429
    assert "Đăng nhập bị tạm khóa" in locked.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.axes
def test_behind_the_proxy_a_stranger_cannot_lock_another_user_out(client, thuky, settings):
    from django.test import Client

    settings.TRUSTED_PROXY_COUNT = 1
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 2):
        sign_in_from(client, "203.0.113.7", "thuky", "wrong")

    colleague = Client()
    response = sign_in_from(colleague, "10.12.0.25", "thuky", PASSWORD)

    assert response.status_code == 302
    assert colleague.session["_auth_user_id"] == str(thuky.pk)  # signed in at their own desk
    assert list(AccessAttempt.objects.values_list("username", "ip_address")) == [
        ("thuky", "203.0.113.7")
    ]


@pytest.mark.axes
def test_without_a_proxy_the_forwarded_header_is_ignored(client, thuky, settings):
    """TRUSTED_PROXY_COUNT=0 (no proxy): X-Forwarded-For is the client's own text."""
    settings.TRUSTED_PROXY_COUNT = 0
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": "thuky", "password": "wrong"},
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{attempt}",  # a new forged address each time
        )

    locked = sign_in(client, "thuky", PASSWORD)  # the test client's REMOTE_ADDR differs
    again = client.post(
        reverse("login"), {"username": "thuky", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7"
    )

    assert locked.status_code == 302
    assert again.status_code == 429


def test_password_change_signs_out_the_other_sessions(client, demo):
    from django.test import Client

    other = Client()
    assert other.login(username="thuky", password=PASSWORD)
    assert client.login(username="thuky", password=PASSWORD)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Mật-khẩu-mới-2026",
            "new_password2": "Mật-khẩu-mới-2026",
        },
    )

    assert response.status_code == 302
    assert client.get("/").status_code == 200  # this session stays
    assert other.get("/").status_code == 302  # the other one is signed out


def test_weak_passwords_are_refused(client, demo):
    client.login(username="thuky", password=PASSWORD)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert "Mật khẩu này quá phổ biến" in response.content.decode()


def test_security_headers_are_sent(client, demo):
    client.login(username="thuky", password=PASSWORD)
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_inline_scripts_or_handlers_in_templates():
    """The CSP forbids inline scripts: a template with one would break in production."""
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for needle in (" onclick=", " onchange=", " onsubmit=", " onload=", "<script>"):
            if needle in text:
                offenders.append(f"{path.name}: {needle.strip()}")
    assert offenders == []


PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "p" * 20 + "production-secret-key-with-enough-entropy-8472619",
    "ALLOWED_HOSTS": "thidua.example.gov.vn",
    "CSRF_TRUSTED_ORIGINS": "https://thidua.example.gov.vn",
    "SECURE_SSL_REDIRECT": "1",
    "TRUST_X_FORWARDED_PROTO": "1",
    "DATABASE_URL": "sqlite:////tmp/cumthidua-check-deploy.sqlite3",
}


def run_manage(*args, env=None):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION_ENV and not k.startswith(("SECURE_", "DJANGO_"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr
