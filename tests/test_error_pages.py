"""Refusals and failures get a page in Vietnamese, in the site's layout, with a way back
(with DEBUG off, as in production)."""

import pytest
from django.conf import settings
from django.template import loader
from django.test import Client
from django.urls import reverse

from scoring.models import Compact, Score

PASSWORD = "demo-pass-123"


@pytest.fixture(autouse=True)
def production(settings):
    assert settings.DEBUG is False


def assert_error_page(response, status, heading):
    content = response.content.decode()
    assert response.status_code == status
    assert '<html lang="vi">' in content
    assert f"Lỗi {status}" in content
    assert heading in content
    assert '<a class="btn btn-primary" href="/">Về trang chủ</a>' in content
    assert "data-back>Quay lại trang trước</button>" in content
    assert "Forbidden" not in content and "Not Found" not in content
    return content


@pytest.mark.django_db
def test_a_leader_saving_the_sheet_gets_the_vietnamese_refusal(client, demo):
    compact = Compact.objects.get(year=2018)
    client.login(username="lanhdao", password=PASSWORD)
    before = Score.objects.filter(compact=compact).count()

    response = client.post(reverse("scoring:sheet", args=[compact.pk]), {})

    content = assert_error_page(response, 403, "Không có quyền thực hiện")
    assert "Tài khoản của bạn không được phép thực hiện thao tác này." in content
    assert "Đăng xuất" in content  # the site's layout, signed in
    assert Score.objects.filter(compact=compact).count() == before


@pytest.mark.django_db
def test_a_missing_page_is_explained_in_vietnamese(client, demo):
    client.login(username="thuky", password=PASSWORD)

    response = client.get(reverse("scoring:compact", args=[999999]))

    content = assert_error_page(response, 404, "Không tìm thấy trang")
    assert "Trang này không tồn tại" in content


@pytest.mark.django_db
def test_a_bad_request_is_explained_in_vietnamese(client):
    response = client.get(reverse("login"), HTTP_HOST="not-our-host.example")

    assert_error_page(response, 400, "Yêu cầu không hợp lệ")


@pytest.mark.django_db
def test_an_expired_form_is_explained_in_vietnamese(demo):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("login"), {"username": "thuky", "password": PASSWORD})

    content = assert_error_page(response, 403, "Trang đã hết hạn")
    assert "Chưa có gì được lưu." in content
    assert settings.CSRF_FAILURE_VIEW == "cumthidua.errors.csrf_failure"


@pytest.mark.django_db
@pytest.mark.urls("tests.error_urls")
def test_a_server_error_is_explained_in_vietnamese():
    client = Client(raise_request_exception=False)

    response = client.get("/broken/")

    content = assert_error_page(response, 500, "Đã xảy ra lỗi")
    assert "Hãy thử lại sau ít phút" in content


def test_the_server_error_page_needs_no_database_nor_request():
    # No django_db mark: any query would fail the test.
    content = loader.get_template("500.html").render()

    assert "Đã xảy ra lỗi" in content
    assert 'href="/"' in content
