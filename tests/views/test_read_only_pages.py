"""Pages that are only read (dashboards, reports, exports, the audit trail, documents to
download or print) answer a POST with 405 and the methods they take, before any work: a form
posted to them by mistake changes nothing and is not served the page as if it were read."""

import pytest
from django.urls import reverse

from scoring.models import Compact, Criterion, Score
from units.models import Unit

pytestmark = pytest.mark.django_db


def read_only_urls():
    c2017 = Compact.objects.get(cluster__number=12, year=2017)
    nghean = Unit.objects.get(code="pccc-nghean")
    leaf = Criterion.objects.filter(compact=c2017).leaves().order_by("pk").first()
    pk = c2017.pk
    return [
        reverse("home"),
        reverse("scoring:overview"),
        reverse("scoring:compact", args=[pk]),
        reverse("scoring:dashboard", args=[pk]),
        reverse("scoring:ranking_json", args=[pk]),
        reverse("scoring:unit_report", args=[pk, nghean.pk]),
        reverse("scoring:export", args=[pk, "ranking"]),
        reverse("scoring:audit", args=[pk]),
        reverse("scoring:audit_export", args=[pk]),
        reverse("scoring:score_history", args=[pk, nghean.pk, leaf.pk]),
        reverse("scoring:print", args=[pk]),
        reverse("scoring:review", args=[pk]),
        reverse("scoring:review_document", args=[pk, "minutes"]),
        reverse("scoring:review_print", args=[pk, "minutes"]),
        reverse("scoring:appeals", args=[pk]),
        reverse("scoring:unit_line", args=[nghean.pk]),
    ]


def test_a_page_that_is_only_read_refuses_a_post_and_still_reads(admin_client, demo):
    scores = list(Score.objects.order_by("pk").values_list("pk", "version"))
    for url in read_only_urls():
        refused = admin_client.post(url, {"unit": "1", "page": "2"})
        assert refused.status_code == 405, url
        assert refused["Allow"] == "GET, HEAD", url
        assert admin_client.get(url).status_code == 200, url
        assert admin_client.head(url).status_code == 200, url
    assert list(Score.objects.order_by("pk").values_list("pk", "version")) == scores
