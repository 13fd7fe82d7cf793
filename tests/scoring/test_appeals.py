"""Publication of the results and the members' appeals (scoring/appeals.py)."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from scoring import appeals, lifecycle
from scoring.models import Appeal, Compact, CompactEvent, Publication, Score
from scoring.services import ServiceError
from tests.factories import UserFactory, UserRoleFactory, build_compact, score

pytestmark = pytest.mark.django_db
S = Compact.Status
PUBLISHED = datetime.date(2017, 12, 6)
IN_WINDOW = datetime.date(2017, 12, 10)


@pytest.fixture
def year():
    """Three members, every content score verified, scoring closed."""
    compact, units, cr = build_compact(units=3, status=S.SCORING_CLOSED)
    for unit in units:
        for code in ("G1.1", "G1.2", "G2.1", "G2.2"):
            score(compact, unit, cr[code], 8, self_value=8)
    return compact, units, cr


@pytest.fixture
def secretariat(year):
    user = UserFactory()
    UserRoleFactory(user=user, role="secretariat", cluster=year[0].cluster)
    return user


@pytest.fixture
def officer(year):
    user = UserFactory()
    UserRoleFactory(user=user, role="officer", unit=year[1][0])
    return user


def refused(call, message):
    with pytest.raises(ServiceError) as error:
        call()
    assert message in error.value.message, error.value.message
    return error.value.message


def publish(compact, user, day=PUBLISHED, days=10):
    return appeals.publish_results(compact=compact, user=user, published_on=day, appeal_days=days)


def lodge(compact, officer, unit, criterion, reason="Điểm chưa tính mô hình mới", **kwargs):
    kwargs.setdefault("today", IN_WINDOW)
    return appeals.lodge_appeal(
        compact=compact,
        user=officer,
        unit_id=unit.pk,
        criterion_id=criterion.pk,
        reason=reason,
        **kwargs,
    )


# --- Publication ---------------------------------------------------------------------------------


def test_publication_is_refused_while_scoring_is_open(year, secretariat):
    compact, _units, _cr = year
    Compact.objects.filter(pk=compact.pk).update(status=S.IN_FORCE)
    refused(lambda: publish(compact, secretariat), "sau khi khóa chấm điểm")
    assert not Publication.objects.exists()


def test_publication_records_its_date_window_and_event(year, secretariat):
    compact, _units, _cr = year
    publication = publish(compact, secretariat)
    assert (publication.published_on, publication.appeals_until) == (
        PUBLISHED,
        datetime.date(2017, 12, 16),
    )
    event = CompactEvent.objects.filter(compact=compact).latest("pk")
    assert "06/12/2017" in event.summary and "16/12/2017" in event.summary


def test_publication_twice_or_with_a_long_window_is_refused(year, secretariat):
    compact, _units, _cr = year
    refused(lambda: publish(compact, secretariat, days=91), "từ 0 đến 90 ngày")
    refused(lambda: publish(compact, secretariat, day=datetime.date(2015, 1, 1)), "01/01/2015")
    publish(compact, secretariat)
    refused(lambda: publish(compact, secretariat), "đã được công bố")
    assert Publication.objects.count() == 1


# --- Lodging -------------------------------------------------------------------------------------


def test_appeal_before_publication_is_refused(year, officer):
    compact, units, cr = year
    refused(lambda: lodge(compact, officer, units[0], cr["G1.1"]), "chưa được công bố")
    assert not Appeal.objects.exists()


def test_appeal_outside_the_window_is_refused(year, secretariat, officer):
    compact, units, cr = year
    publish(compact, secretariat)
    message = refused(
        lambda: lodge(compact, officer, units[0], cr["G1.1"], today=datetime.date(2017, 12, 17)),
        "16/12/2017",
    )
    assert "17/12/2017" in message
    refused(
        lambda: lodge(compact, officer, units[0], cr["G1.1"], today=datetime.date(2017, 12, 5)),
        "06/12/2017",
    )
    assert not Appeal.objects.exists()


def test_appeal_against_another_units_score_is_refused(year, secretariat, officer):
    compact, units, cr = year
    publish(compact, secretariat)
    refused(lambda: lodge(compact, officer, units[1], cr["G1.1"]), "chỉ khiếu nại điểm của mình")
    assert not Appeal.objects.exists()


def test_appeal_needs_a_reason_a_verified_score_and_one_at_a_time(year, secretariat, officer):
    compact, units, cr = year
    publish(compact, secretariat)
    refused(lambda: lodge(compact, officer, units[0], cr["G1.1"], reason=" "), "lý do khiếu nại")
    refused(lambda: lodge(compact, officer, units[0], cr["G1"]), "G1")
    lodge(compact, officer, units[0], cr["G1.1"])
    refused(lambda: lodge(compact, officer, units[0], cr["G1.1"]), "đang chờ")
    assert Appeal.objects.count() == 1


def test_appeal_evidence_must_be_an_accepted_file(year, secretariat, officer):
    compact, units, cr = year
    publish(compact, secretariat)
    fake = SimpleUploadedFile("minh-chung.pdf", b"not a pdf at all", "application/pdf")
    refused(lambda: lodge(compact, officer, units[0], cr["G1.1"], upload=fake), "minh-chung.pdf")
    pdf = SimpleUploadedFile("minh-chung.pdf", b"%PDF-1.4 demo", "application/pdf")
    appeal = lodge(compact, officer, units[0], cr["G1.1"], upload=pdf)
    assert (appeal.evidence_name, appeal.disputed_points) == ("minh-chung.pdf", D(8))
    assert appeal.evidence.name.startswith(f"appeals/{compact.pk}/{units[0].pk}/")


# --- Answers -------------------------------------------------------------------------------------


def test_upheld_appeal_corrects_the_score_through_the_score_service(year, secretariat, officer):
    compact, units, cr = year
    publish(compact, secretariat)
    appeal = lodge(compact, officer, units[0], cr["G1.1"])
    before = Score.objects.get(compact=compact, unit=units[0], criterion=cr["G1.1"])
    appeals.answer_appeal(
        compact=compact,
        user=secretariat,
        appeal_id=appeal.pk,
        upheld=True,
        answer="Minh chứng hợp lệ",
        value="9,5",
    )
    after = Score.objects.get(pk=before.pk)
    assert (after.verified_value, after.verified_points) == (D("9.5"), D("9.5"))
    assert after.version == before.version + 1
    assert after.verified_note == "Khiếu nại được chấp nhận: Minh chứng hợp lệ"
    last = after.history.latest("history_date")
    assert (last.verified_points, last.history_user) == (D("9.5"), secretariat)
    appeal.refresh_from_db()
    assert (appeal.status, appeal.corrected_value, appeal.answered_by) == (
        "upheld",
        D("9.5"),
        secretariat,
    )


def test_upheld_appeal_with_a_value_above_the_maximum_changes_nothing(year, secretariat, officer):
    compact, units, cr = year
    publish(compact, secretariat)
    appeal = lodge(compact, officer, units[0], cr["G1.1"])
    refused(
        lambda: appeals.answer_appeal(
            compact=compact,
            user=secretariat,
            appeal_id=appeal.pk,
            upheld=True,
            answer="x",
            value="12",
        ),
        "12",
    )
    appeal.refresh_from_db()
    assert appeal.status == "open"
    assert (
        Score.objects.get(compact=compact, unit=units[0], criterion=cr["G1.1"]).verified_value == 8
    )


def test_rejected_appeal_needs_its_reason_and_is_answered_once(year, secretariat, officer):
    compact, units, cr = year
    publish(compact, secretariat)
    appeal = lodge(compact, officer, units[0], cr["G1.1"])

    def answer(text):
        return appeals.answer_appeal(
            compact=compact, user=secretariat, appeal_id=appeal.pk, upheld=False, answer=text
        )

    refused(lambda: answer(" "), "lý do trả lời")
    answer("Không có minh chứng mới")
    refused(lambda: answer("lần hai"), "đã được trả lời")
    appeal.refresh_from_db()
    assert (appeal.status, appeal.answer) == ("rejected", "Không có minh chứng mới")
    assert (
        Score.objects.get(compact=compact, unit=units[0], criterion=cr["G1.1"]).verified_value == 8
    )


# --- Finalizing ----------------------------------------------------------------------------------


def finalize(compact, user):
    return lifecycle.change_status(
        compact=compact, target=S.FINALIZED, user=user, is_administrator=False
    )


def test_finalize_with_an_open_appeal_is_refused_until_closed_with_a_reason(
    year, secretariat, officer
):
    compact, units, cr = year
    publish(compact, secretariat)
    appeal = lodge(compact, officer, units[0], cr["G1.1"])
    refused(lambda: finalize(compact, secretariat), "đang chờ trả lời")
    compact.refresh_from_db()
    assert compact.status == S.SCORING_CLOSED
    refused(
        lambda: appeals.close_unanswered(compact=compact, user=secretariat, reason=""),
        "lý do đóng",
    )
    assert appeals.close_unanswered(compact=compact, user=secretariat, reason="Hết hạn") == 1
    appeal.refresh_from_db()
    assert (appeal.status, appeal.answer) == ("closed", "Hết hạn")
    assert finalize(compact, secretariat).status == S.FINALIZED
    refused(
        lambda: appeals.close_unanswered(compact=compact, user=secretariat, reason="x"),
        "Không có khiếu nại",
    )


def test_no_appeal_once_the_year_is_finalized(year, secretariat, officer):
    compact, units, cr = year
    publish(compact, secretariat)
    finalize(compact, secretariat)
    refused(lambda: lodge(compact, officer, units[0], cr["G1.1"]), "chưa hoàn thành")
