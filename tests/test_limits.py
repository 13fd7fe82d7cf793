"""Limits on what a request may carry: note length, evidence per criterion and per unit, and
the request body. Each refusal says why in Vietnamese and writes nothing."""

import pytest
from django.db import IntegrityError, transaction

from scoring.models import NOTE_MAX_LENGTH, Evidence, Score
from tests.demo_lookups import crit, nghean, pdfs, self_url

pytestmark = pytest.mark.django_db


def saved_state(compact):
    return (
        sorted(Score.objects.filter(compact=compact).values_list("pk", "version", "self_note")),
        Evidence.objects.count(),
    )


def test_a_note_over_the_limit_is_refused_in_vietnamese_and_nothing_is_saved(officer, c2018):
    unit, i1 = nghean(), crit(c2018, "I.1")
    before = saved_state(c2018)

    response = officer.post(
        self_url(c2018),
        {
            f"v-{unit.pk}-{i1.pk}": "30",
            f"n-{unit.pk}-{i1.pk}": "x" * (9 * 1024 * 1024),  # the 9 MiB note of the review
            f"ver-{unit.pk}-{i1.pk}": "0",
        },
    )

    content = response.content.decode()
    assert "Ghi chú dài 9.437.184 ký tự; chỉ được tối đa 2.000 ký tự." in content
    assert saved_state(c2018) == before


def test_a_note_at_the_limit_is_saved(officer, c2018):
    unit, i1 = nghean(), crit(c2018, "I.1")
    officer.post(
        self_url(c2018),
        {
            f"v-{unit.pk}-{i1.pk}": "30",
            f"n-{unit.pk}-{i1.pk}": "ý" * NOTE_MAX_LENGTH,
            f"ver-{unit.pk}-{i1.pk}": "0",
        },
    )

    assert Score.objects.get(compact=c2018, unit=unit, criterion=i1).self_note == (
        "ý" * NOTE_MAX_LENGTH
    )


def test_the_model_and_the_database_refuse_a_long_note(c2018):
    from django.core.exceptions import ValidationError

    score = Score.objects.filter(compact=c2018).first()
    score.verified_note = "x" * (NOTE_MAX_LENGTH + 1)
    with pytest.raises(ValidationError) as error:
        score.full_clean()
    assert "verified_note" in error.value.message_dict

    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.filter(pk=score.pk).update(self_note="x" * (NOTE_MAX_LENGTH + 1))


@pytest.mark.parametrize(
    ("limits", "files_by_code", "message"),
    [
        (
            {"EVIDENCE_MAX_FILES_PER_CRITERION": 2},
            {"I.1": 3},
            "Tiêu chí I.1 đã có 0 tệp minh chứng; mỗi tiêu chí chỉ nhận tối đa 2 tệp.",
        ),
        (
            {"EVIDENCE_MAX_FILES_PER_UNIT": 3},
            {"I.1": 2, "I.2": 2},
            "Năm nay đơn vị đã có 0 tệp minh chứng; giới hạn là 3 tệp.",
        ),
        (
            {"EVIDENCE_MAX_UNIT_BYTES": 100},
            {"I.1": 1, "I.2": 2},
            "Minh chứng của đơn vị năm nay sẽ vượt quá 0 MB",
        ),
    ],
)
def test_evidence_over_a_limit_is_refused_and_nothing_is_saved(
    officer, c2018, settings, media_root, limits, files_by_code, message
):
    for name, value in limits.items():
        setattr(settings, name, value)
    unit, i1 = nghean(), crit(c2018, "I.1")
    before = saved_state(c2018)
    data = {f"v-{unit.pk}-{i1.pk}": "30", f"ver-{unit.pk}-{i1.pk}": "0"}
    for code, count in files_by_code.items():
        data[f"f-{crit(c2018, code).pk}"] = pdfs(count, code)

    response = officer.post(self_url(c2018), data)

    assert message in response.content.decode()
    assert saved_state(c2018) == before
    assert list(media_root.rglob("*.pdf")) == []


def test_evidence_already_stored_counts_towards_the_criterion_limit(officer, c2018, settings):
    settings.EVIDENCE_MAX_FILES_PER_CRITERION = 3
    i1 = crit(c2018, "I.1")
    officer.post(self_url(c2018), {f"f-{i1.pk}": pdfs(2, "first")})
    assert Evidence.objects.count() == 2

    response = officer.post(self_url(c2018), {f"f-{i1.pk}": pdfs(2, "second")})

    assert "Tiêu chí I.1 đã có 2 tệp minh chứng" in response.content.decode()
    assert Evidence.objects.count() == 2


def test_an_oversized_body_is_refused_with_413_before_it_is_read(officer, c2018, settings):
    settings.REQUEST_MAX_BODY_BYTES = 50 * 1024 * 1024
    before = saved_state(c2018)

    # 150 MB announced, a few bytes sent: reading past them would fail the test client.
    response = officer.generic(
        "POST",
        self_url(c2018),
        b"x" * 100,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(150 * 1024 * 1024),
    )

    content = response.content.decode()
    assert response.status_code == 413
    assert "Tệp gửi lên quá lớn" in content
    assert "lớn hơn 50 MB" in content
    assert response["Cache-Control"] == "private, no-store"
    assert saved_state(c2018) == before


def test_an_upload_within_the_body_limit_goes_through(officer, c2018, settings):
    settings.REQUEST_MAX_BODY_BYTES = 1024 * 1024
    i1 = crit(c2018, "I.1")

    response = officer.post(self_url(c2018), {f"f-{i1.pk}": pdfs(1)})

    assert response.status_code == 302
    assert Evidence.objects.count() == 1
