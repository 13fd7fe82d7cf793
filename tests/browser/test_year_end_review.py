"""The review of 2018 end to end in Chromium: scoring closed with every score verified, the
meeting, the votes, the proposals, the election of 2019's leader and deputy, the documents
downloaded, the results published, an officer's appeal answered, the year finalized."""

import datetime

import pytest
from docx import Document
from playwright.sync_api import expect

from scoring import lifecycle, selectors
from scoring.models import (
    Appeal,
    AwardKind,
    AwardProposal,
    Compact,
    ReviewMeeting,
    Vote,
)
from units.models import Membership

from .verified_scores import verify_every_score

pytestmark = pytest.mark.browser


def close_scoring_with_every_score_verified(compact):
    """2018's scores all verified (see verified_scores), then scoring closed."""
    thuky = verify_every_score(compact)
    lifecycle.change_status(
        compact=compact, target=Compact.Status.SCORING_CLOSED, user=thuky, is_administrator=False
    )


def shot(page, name):
    for width, height in ((1366, 768), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"/tmp/h11-review-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1400, "height": 900})


def test_the_review_of_2018_end_to_end(sign_in, page, demo_server, browser):
    compact = Compact.objects.get(cluster__number=12, year=2018)
    close_scoring_with_every_score_verified(compact)
    first = selectors.standings_for(compact).rows[0].unit
    members = Membership.objects.filter(year=2018).select_related("unit")
    unit = {m.unit.code: m.unit for m in members}
    base = f"{demo_server.url}/compacts/{compact.pk}"

    sign_in("thuky")
    page.goto(f"{base}/")
    page.get_by_role("link", name="Bình xét cuối năm").first.click()
    page.get_by_role("link", name="Ghi biên bản họp").click()
    page.locator("[name=held_on]").fill("2018-12-04")
    page.locator("[name=place]").fill("Khánh Hòa")
    page.locator("[name=chair]").fill(
        "Đại diện lãnh đạo Phòng Cảnh sát PCCC và CNCH, Công an tỉnh Khánh Hòa"
    )
    page.locator("[name=secretary]").fill("Đại diện Thư ký Cụm thi đua số 12")
    for u in unit.values():
        page.locator(f"[name=present-{u.pk}]").check()
        page.locator(f"[name=rep-{u.pk}]").fill(f"Đại diện lãnh đạo {u.full_name}")
    page.locator("[name=minutes_number]").fill("11")
    page.locator("[name=ballot_number]").fill("12")
    page.locator("[name=proposal_number]").fill("13")
    page.locator("[name=signatory_title]").fill("Cụm trưởng")
    page.locator("[name=signatory_name]").fill("Đại diện lãnh đạo đơn vị Cụm trưởng")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã ghi biên bản họp bình xét.")).to_be_visible()

    def vote(path, counts):
        page.goto(f"{base}/review/votes/{path}")
        for name, value in (("issued", 8), ("returned", 8), ("valid", 8), ("invalid", 0)):
            page.locator(f"[name=ballots_{name}]").fill(str(value))
        for u, votes in counts.items():
            page.locator(f"[name=votes-{u.pk}]").fill(str(votes))
        page.get_by_role("button", name="Lưu").click()
        expect(page.get_by_text("Đã ghi kết quả biểu quyết.")).to_be_visible()

    # A mistyped count is refused with its message, and nothing is recorded.
    page.goto(f"{base}/review/votes/leading/")
    for name, value in (("issued", 8), ("returned", 9), ("valid", 8), ("invalid", 1)):
        page.locator(f"[name=ballots_{name}]").fill(str(value))
    page.locator(f"[name=votes-{first.pk}]").fill("8")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Số phiếu thu về (9) nhiều hơn số phát ra (8).")).to_be_visible()
    assert not Vote.objects.filter(meeting__compact=compact).exists()

    vote("leading/", {first: 8})
    government = AwardKind.objects.get(compact=compact, level="government_flag")
    vote(f"award/?kind={government.pk}", {first: 8})
    vote("next_leader/", {unit["pccc-nghean"]: 7, unit["pccc-quangninh"]: 1})
    vote("next_deputy/", {unit["pccc-quangninh"]: 8})
    page.goto(f"{base}/review/")
    row = page.locator(f"[data-award=government_flag] tr[data-unit='{first.pk}']")
    # 2018's verified scores (2017's values, see above) leave the first unit "Khá", below the
    # Government flag's "Xuất sắc": the secretariat proposes it anyway, with the reason.
    expect(row).to_contain_text("Khá")
    row.locator("[name=override_reason]").fill("Dẫn đầu cụm, Hội nghị thống nhất đề nghị")
    row.get_by_role("button", name="Đề nghị").click()
    expect(page.get_by_text("Đã ghi đề nghị khen thưởng.")).to_be_visible()
    assert list(
        AwardProposal.objects.filter(award_kind=government).values_list("unit", flat=True)
    ) == [first.pk]
    expect(page.locator("[data-leading]")).to_contain_text(
        "Cụm trưởng năm 2019: Phòng Cảnh sát PCCC và CNCH, Công an tỉnh Nghệ An."
    )
    shot(page, "review")

    with page.expect_download() as download:
        page.get_by_role("link", name="Biên bản họp bình xét (.docx)").click()
    doc = Document(str(download.value.path()))
    heading = " ".join(p.text for p in doc.tables[0].rows[0].cells[0].paragraphs)
    assert "Số: 11/BB-CTĐ" in heading
    assert "Cụm trưởng: Phòng Cảnh sát PCCC và CNCH, Công an tỉnh Nghệ An." in "\n".join(
        p.text for p in doc.paragraphs
    )
    for label in ("Biên bản kiểm phiếu (.docx)", "Tờ trình đề nghị khen thưởng (.docx)"):
        with page.expect_download() as download:
            page.get_by_role("link", name=label).click()
        assert download.value.suggested_filename.endswith("-cum12-2018.docx")

    # Publication: every member's officer then reads the ranking and may appeal.
    page.goto(f"{base}/appeals/")
    page.locator("[name=appeal_days]").fill("10")
    page.get_by_role("button", name="Công bố kết quả tới mọi đơn vị thành viên").click()
    expect(page.get_by_text("Đã công bố kết quả.")).to_be_visible()

    officer = browser.new_context(
        locale="vi-VN", viewport={"width": 1400, "height": 900}
    ).new_page()
    officer.goto(f"{demo_server.url}/accounts/login/")
    officer.get_by_label("Tên đăng nhập").fill("pccc_nghean")
    officer.get_by_label("Mật khẩu").fill("demo-pass-123")
    officer.get_by_role("button", name="Đăng nhập").click()
    officer.goto(f"{base}/dashboard/")
    expect(officer.locator("table.ranking-table tbody tr")).to_have_count(8)
    officer.goto(f"{base}/appeals/")
    officer.locator("[name=criterion]").select_option(index=1)
    officer.locator("[name=reason]").fill(
        "Đơn vị đã tổ chức thêm 3 buổi tuyên truyền chưa được tính"
    )
    officer.get_by_role("button", name="Gửi khiếu nại").click()
    expect(officer.get_by_text("Đã gửi khiếu nại.")).to_be_visible()
    shot(officer, "appeal-officer")
    appeal = Appeal.objects.get(compact=compact)
    assert appeal.unit == unit["pccc-nghean"]

    # The year cannot be finalized while the appeal awaits its answer.
    page.goto(f"{base}/")
    page.get_by_role("button", name="Hoàn tất kết quả").click()
    expect(page.get_by_text("Còn khiếu nại đang chờ trả lời")).to_be_visible()
    page.goto(f"{base}/appeals/")
    article = page.locator(f"[data-appeal='{appeal.pk}']")
    article.get_by_label("không chấp nhận").check()
    article.locator("[name=answer]").fill("Các buổi này đã được tính ở tiêu chí khác")
    article.get_by_role("button", name="Trả lời").click()
    expect(page.get_by_text("Đã trả lời khiếu nại.")).to_be_visible()
    shot(page, "appeals")
    appeal.refresh_from_db()
    assert appeal.status == "rejected"

    page.goto(f"{base}/")
    page.get_by_role("button", name="Hoàn tất kết quả").click()
    compact.refresh_from_db()
    assert compact.status == Compact.Status.FINALIZED
    assert ReviewMeeting.objects.get(compact=compact).held_on == datetime.date(2018, 12, 4)
