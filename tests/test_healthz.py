import threading
import time

import pytest
from django.db import DatabaseError, OperationalError, connections

from cumthidua import views


@pytest.fixture
def database_class():
    return type(connections["default"])


def wait_for_probe_to_finish():
    deadline = time.monotonic() + 10
    while views._probe_running.locked() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not views._probe_running.locked()


@pytest.mark.django_db
def test_healthz_answers_without_login(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_fails(client, monkeypatch, database_class):
    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(database_class, "cursor", broken_cursor)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}
    wait_for_probe_to_finish()


@pytest.mark.django_db
def test_healthz_is_503_within_its_timeout_when_the_database_accepts_but_never_answers(
    client, monkeypatch, database_class, settings
):
    # The probe gives up after HEALTHZ_TIMEOUT (2.5 s unless the environment says otherwise,
    # within the 3 s a load balancer waits); a shorter one here, so the test waits less.
    settings.HEALTHZ_TIMEOUT = 0.6
    released = threading.Event()
    original = database_class.get_new_connection

    def hanging_connection(self, params):
        # The server took the connection and says nothing (here until the test ends).
        released.wait(timeout=30)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(database_class, "get_new_connection", hanging_connection)
    connection_in_this_thread = connections["default"]
    try:
        started = time.monotonic()
        first = client.get("/healthz")
        first_took = time.monotonic() - started
        started = time.monotonic()
        second = client.get("/healthz")  # the first probe still hangs: no second one
        second_took = time.monotonic() - started
    finally:
        released.set()
        wait_for_probe_to_finish()
        monkeypatch.setattr(database_class, "get_new_connection", original)

    assert first.status_code == 503
    assert first.json() == {"status": "error", "database": "unavailable"}
    assert 0.6 <= first_took < 2.5  # it waited for the probe, then gave up
    assert second.status_code == 503
    assert second_took < 0.5
    assert connections["default"] is connection_in_this_thread
    assert client.get("/healthz").status_code == 200  # and it recovers with the database


@pytest.mark.django_db
def test_other_pages_need_a_login(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
