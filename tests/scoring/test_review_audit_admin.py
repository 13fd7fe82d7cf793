"""The year-end review's records in the audit trail and in the administration."""

import pytest

from scoring import audit
from scoring.models import Compact

pytestmark = pytest.mark.django_db

REVIEW_MODELS = [
    "reviewmeeting",
    "vote",
    "awardkind",
    "awardproposal",
    "publication",
    "appeal",
    "handover",
]


def test_audit_trail_lists_the_demo_review_votes_proposals_and_publication(demo):
    compact = Compact.objects.get(cluster__number=12, year=2017)
    subjects = {
        kind: [e.subject for e in audit.audit_log(compact, kinds=[kind])] for kind in REVIEW_MODELS
    }
    assert subjects["reviewmeeting"] == [str(compact)]
    assert len(subjects["vote"]) == 6
    # The 2017 trail names the units as they were named in 2017.
    assert sorted(subjects["awardproposal"]) == sorted(
        [
            "PCCC Thanh Hóa",
            "PCCC Quảng Ninh",
            "PCCC Nghệ An",
            "PCCC Bà Rịa - Vũng Tàu",
            "PCCC Khánh Hòa",
            "PCCC Thừa Thiên Huế",
        ]
    )
    assert subjects["publication"] == [str(compact)]
    # Another year's review is not listed in this year's trail.
    other = Compact.objects.get(cluster__number=12, year=2018)
    assert audit.audit_log(other, kinds=["vote"]) == []


@pytest.mark.parametrize("model", REVIEW_MODELS)
def test_admin_lists_the_review_models(admin_client, demo, model):
    response = admin_client.get(f"/admin/scoring/{model}/")
    assert response.status_code == 200
    assert "<table" in response.content.decode() or model in ("appeal", "handover")
