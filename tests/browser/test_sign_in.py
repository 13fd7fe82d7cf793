import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_secretariat_signs_in_in_vietnamese(sign_in, page):
    sign_in("thuky")

    expect(page.get_by_role("heading", name="Xin chào, Thư ký Cụm 12")).to_be_visible()
    page.screenshot(path="test-results/home-thuky.png", full_page=True)


def test_wrong_password_is_refused_in_vietnamese(sign_in, page):
    sign_in("thuky", "not-the-password")

    expect(
        page.get_by_text("Vui lòng điền vào Tên đăng nhập và mật khẩu chính xác")
    ).to_be_visible()
    assert "/accounts/login/" in page.url


def test_administrator_sees_the_demo_compact_in_admin(sign_in, page, demo_server):
    sign_in("admin")
    page.goto(f"{demo_server.url}/admin/scoring/compact/")
    page.get_by_role("link", name="Giao ước thi đua Cụm thi đua số 12 năm 2017").click()

    expect(page.get_by_label("Khẩu hiệu hành động")).to_have_value(
        "Đoàn kết, đổi mới, chủ động, kỷ cương, trách nhiệm, hiệu quả, hoàn thành xuất sắc nhiệm vụ"
    )
    expect(page.get_by_text("Tuyên truyền, phổ biến kiến thức PCCC").first).to_be_attached()
    page.screenshot(path="test-results/admin-compact.png")
