"""Pages, evidence, Excel and JSON are `private, no-store`; static files stay cacheable."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from scoring import services
from scoring.models import Criterion
from units.models import Unit

pytestmark = pytest.mark.django_db
PASSWORD = "demo-pass-123"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def directives(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


@pytest.fixture
def thuky(client, demo):
    assert client.login(username="thuky", password=PASSWORD)
    return client


def test_every_kind_of_response_to_a_signed_in_user_is_private_and_not_stored(thuky, c2018):
    nghean = Unit.objects.get(code="pccc-nghean")
    i1 = Criterion.objects.get(compact=c2018, code="I.1")
    (evidence,) = services.attach_evidence(
        compact=c2018,
        unit_id=nghean.pk,
        criterion_id=i1.pk,
        user=None,
        files=[SimpleUploadedFile("minh-chung.pdf", PDF)],
    )
    responses = {
        "home page": thuky.get("/"),
        "sheet": thuky.get(reverse("scoring:sheet", args=[c2018.pk])),
        "evidence": thuky.get(reverse("scoring:evidence", args=[evidence.pk])),
        "excel": thuky.get(reverse("scoring:export", args=[c2018.pk, "ranking"])),
        "ranking.json": thuky.get(reverse("scoring:ranking_json", args=[c2018.pk])),
    }
    assert {kind: r.status_code for kind, r in responses.items()} == dict.fromkeys(responses, 200)
    assert responses["evidence"].getvalue() == PDF
    assert responses["excel"]["Content-Type"].startswith("application/vnd.openxmlformats")

    assert {kind: {"private", "no-store"} <= directives(r) for kind, r in responses.items()} == (
        dict.fromkeys(responses, True)
    )
    assert {kind: "public" in directives(r) for kind, r in responses.items()} == (
        dict.fromkeys(responses, False)
    )


def test_pages_for_anonymous_visitors_are_not_stored_either(client):
    login = client.get(reverse("login"))
    redirect = client.get("/")

    assert login.status_code == 200
    assert {"private", "no-store"} <= directives(login)
    assert {"private", "no-store"} <= directives(redirect)


def test_static_files_keep_whitenoise_caching(settings):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True

    response = Client().get("/static/css/app.css")  # a new client loads the middleware anew

    assert response.status_code == 200
    assert "no-store" not in directives(response)
    assert "public" in directives(response)
    assert any(d.startswith("max-age=") and d != "max-age=0" for d in directives(response))
