"""Several application servers can serve one database: nothing lives in a process.

Two test clients stand for two hosts behind a load balancer: they share nothing but the
database and the media storage, like two gunicorn hosts on one PostgreSQL.
"""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from scoring.models import Compact, Criterion, Evidence
from units.models import Unit

pytestmark = pytest.mark.django_db


def test_sessions_live_in_the_database_not_in_a_process():
    assert settings.SESSION_ENGINE in (
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cache",
        "django.contrib.sessions.backends.cached_db",
    )
    if "cache" in settings.SESSION_ENGINE:
        backend = settings.CACHES["default"]["BACKEND"]
        assert "locmem" not in backend.lower(), "a per-process cache cannot share sessions"


def test_uploads_go_to_the_configured_storage_not_to_static():
    assert str(settings.MEDIA_ROOT) != str(settings.STATIC_ROOT)
    assert settings.STORAGES["default"]["BACKEND"]  # django-storages can be configured here


def test_a_session_opened_on_one_host_works_on_another(demo):
    host_a, host_b = Client(), Client()
    response = host_a.post(reverse("login"), {"username": "thuky", "password": "demo-pass-123"})
    assert response.status_code == 302
    host_b.cookies[settings.SESSION_COOKIE_NAME] = host_a.cookies[
        settings.SESSION_COOKIE_NAME
    ].value

    assert "Thư ký Cụm 12" in host_b.get("/").content.decode()


def test_evidence_uploaded_through_one_host_is_served_by_another(demo):
    compact = Compact.objects.get(year=2018)
    criterion = Criterion.objects.get(compact=compact, code="I.1")
    nghean = Unit.objects.get(code="pccc-nghean")
    host_a, host_b = Client(), Client()
    host_a.login(username="pccc_nghean", password="demo-pass-123")
    host_b.login(username="thuky", password="demo-pass-123")

    host_a.post(
        reverse("scoring:self", args=[compact.pk]),
        {f"f-{criterion.pk}": SimpleUploadedFile("a.pdf", b"%PDF-1.4 shared")},
    )
    evidence = Evidence.objects.get(unit=nghean)

    response = host_b.get(reverse("scoring:evidence", args=[evidence.pk]))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 shared"
