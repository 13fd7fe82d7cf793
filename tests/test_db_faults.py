"""The database drops the connection in the middle of a request: a read is retried once and
answers as usual; a write answers 503 "not saved, try again" in Vietnamese, changes nothing,
and that page needs no database."""

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import Client
from django.urls import reverse

from scoring.models import Criterion, Score
from units.models import Unit

# No test-wide transaction: the retry opens a new connection, as in production.
pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "demo-pass-123"


class Fault:
    """Raises `error` on the queries that `when` picks (the n-th such query onwards, `times`
    times), as a connection killed by the server would."""

    def __init__(self, error, when, times=1):
        self.error, self.when, self.left, self.raised = error, when, times, 0

    def __call__(self, execute, sql, params, many, context):
        if self.left and self.when(sql):
            self.left -= 1
            self.raised += 1
            raise self.error("server closed the connection unexpectedly")
        return execute(sql, params, many, context)


def reads_scores(sql):
    return sql.lstrip().upper().startswith("SELECT") and '"scoring_score"' in sql


def writes_scores(sql):
    return sql.lstrip().upper().startswith(("UPDATE", "INSERT")) and '"scoring_score"' in sql


def signed_in(username):
    client = Client(raise_request_exception=False)
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_read_that_loses_its_connection_is_retried_once(c2018, error):
    leader = signed_in("lanhdao")
    url = reverse("scoring:ranking_json", args=[c2018.pk])
    expected = leader.get(url).json()
    fault = Fault(error, reads_scores)

    with connection.execute_wrapper(fault):
        response = leader.get(url)

    assert fault.raised == 1
    assert response.status_code == 200
    assert response.json() == expected


def test_a_read_whose_session_lookup_loses_the_connection_is_retried_too(c2018):
    leader = signed_in("lanhdao")
    fault = Fault(OperationalError, lambda sql: '"django_session"' in sql)

    with connection.execute_wrapper(fault):
        response = leader.get(reverse("scoring:dashboard", args=[c2018.pk]))

    assert fault.raised == 1
    assert response.status_code == 200
    assert "Cụm thi đua số 12" in response.content.decode()


def test_a_read_that_fails_twice_answers_503_in_vietnamese(c2018):
    leader = signed_in("lanhdao")
    fault = Fault(OperationalError, reads_scores, times=2)

    with connection.execute_wrapper(fault):
        response = leader.get(reverse("scoring:dashboard", args=[c2018.pk]))

    assert fault.raised == 2
    assert response.status_code == 503
    assert "Cơ sở dữ liệu chưa trả lời" in response.content.decode()


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_write_that_loses_its_connection_is_not_saved_and_says_so(c2018, error):
    thuky = signed_in("thuky")
    binhdinh = Unit.objects.get(code="pccc-binhdinh")
    i1 = Criterion.objects.get(compact=c2018, code="I.1")
    before = sorted(Score.objects.values_list("pk", "version", "verified_value"))
    # From the first write on, the database is gone for every query: the page needs none.
    fault = Fault(error, lambda sql: fault.raised or writes_scores(sql), times=1000)

    with connection.execute_wrapper(fault):
        response = thuky.post(
            reverse("scoring:sheet", args=[c2018.pk]),
            {f"v-{binhdinh.pk}-{i1.pk}": "30", f"ver-{binhdinh.pk}-{i1.pk}": "0"},
        )

    content = response.content.decode()
    assert fault.raised >= 1
    assert response.status_code == 503
    assert "Chưa lưu: hãy thử lại" in content
    assert "bấm nút Lưu lại bên dưới" in content
    # What was typed is on the page, to post again as it was.
    assert f'<input type="hidden" name="v-{binhdinh.pk}-{i1.pk}" value="30">' in content
    assert 'type="submit" class="btn btn-primary">Lưu lại</button>' in content
    assert response["Cache-Control"] == "private, no-store"
    assert sorted(Score.objects.values_list("pk", "version", "verified_value")) == before


def test_other_errors_are_still_a_plain_500(c2018, monkeypatch):
    from scoring import selectors

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(selectors, "score_sheet", broken)
    thuky = signed_in("thuky")

    response = thuky.get(reverse("scoring:sheet", args=[c2018.pk]))

    assert response.status_code == 500
    assert "Chưa lưu" not in response.content.decode()
