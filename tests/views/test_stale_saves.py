"""No lost updates on the editing forms: two people open the same page, A saves, then B
saves what B had opened → B is refused with A's value shown and nothing of B's is written;
B saves again deliberately → B's change is saved. An unchanged form writes nothing."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from scoring.models import Compact, CompactEvent, Criterion, Signature
from tests.factories import UnitFactory, UserFactory, UserRoleFactory, build_compact
from units.models import Membership

pytestmark = pytest.mark.django_db


def seen_of(response, index=0) -> str:
    """The state a page was rendered with (its hidden `seen` input)."""
    return re.findall(r'name="seen" value="([^"]+)"', response.content.decode())[index]


def two_secretariats(status=Compact.Status.DRAFT):
    compact, units, criteria = build_compact(status=status)
    clients = []
    for name in ("thuky_a", "thuky_b"):
        user = UserFactory(username=name, first_name=name)
        UserRoleFactory(user=user, role="secretariat", cluster=compact.cluster)
        client = Client()
        client.force_login(user)
        clients.append(client)
    return compact, units, criteria, clients


def criterion_data(criterion, seen, **changes):
    return {
        "parent": criterion.parent_id or "",
        "code": criterion.code,
        "title": criterion.title,
        "kind": criterion.kind,
        "max_points": "10",
        "points_per_occurrence": "",
        "rule": "",
        "guidance": criterion.guidance,
        "reason": "",
        "seen": seen,
        **changes,
    }


def text(response):
    return response.content.decode()


def test_criterion_edit_stale_save_is_refused_then_saved_deliberately():
    compact, _units, cr, (a, b) = two_secretariats()
    leaf = cr["G1.1"]
    url = reverse("scoring:criterion", args=[compact.pk, leaf.pk])
    seen_a, seen_b = seen_of(a.get(url)), seen_of(b.get(url))

    assert a.post(url, criterion_data(leaf, seen_a, title="Tiêu đề của A")).status_code == 302
    response = b.post(url, criterion_data(leaf, seen_b, title="Tiêu đề của B"))

    assert response.status_code == 200
    assert "Người khác đã lưu thay đổi" in text(response)
    assert "Tiêu đề của A → Tiêu đề của B" in text(response)
    assert Criterion.objects.get(pk=leaf.pk).title == "Tiêu đề của A"

    again = b.post(url, criterion_data(leaf, seen_of(response), title="Tiêu đề của B"))
    assert again.status_code == 302
    assert Criterion.objects.get(pk=leaf.pk).title == "Tiêu đề của B"


def test_criterion_saved_unchanged_writes_nothing():
    compact, _units, cr, (a, _b) = two_secretariats(status=Compact.Status.SIGNING)
    leaf = cr["G1.1"]
    url = reverse("scoring:criterion", args=[compact.pk, leaf.pk])
    history, events = leaf.history.count(), CompactEvent.objects.count()

    response = a.post(url, criterion_data(leaf, seen_of(a.get(url))))

    assert response.status_code == 302
    assert (leaf.history.count(), CompactEvent.objects.count()) == (history, events)


def test_criterion_move_on_a_stale_page_is_refused_then_done_deliberately():
    compact, _units, cr, (a, b) = two_secretariats()
    scheme = reverse("scoring:scheme", args=[compact.pk])

    def move(client, criterion, page, direction):
        row = re.search(rf'<tr id="c{criterion.pk}".*?</tr>', text(page), re.S).group(0)
        return client.post(
            reverse("scoring:criterion_move", args=[compact.pk, criterion.pk]),
            {"direction": direction, "seen": seen_of(type("R", (), {"content": row.encode()}))},
            follow=True,
        )

    page_a, page_b = a.get(scheme), b.get(scheme)
    move(a, cr["G2"], page_a, "up")
    order = list(Criterion.objects.filter(parent=None).order_by("position").values_list("code"))
    response = move(b, cr["B"], page_b, "up")

    assert "G2 · G1 · B · D → G1 · G2 · B · D" in text(response)
    assert (
        list(Criterion.objects.filter(parent=None).order_by("position").values_list("code"))
        == order
    )

    move(b, cr["B"], b.get(scheme), "up")
    codes = (
        Criterion.objects.filter(parent=None).order_by("position").values_list("code", flat=True)
    )
    assert list(codes) == ["G2", "B", "G1", "D"]


def test_criterion_delete_on_a_stale_page_is_refused_then_done_deliberately():
    compact, _units, cr, (a, b) = two_secretariats()
    leaf = cr["G2.2"]
    url = reverse("scoring:criterion", args=[compact.pk, leaf.pk])
    delete = reverse("scoring:criterion_delete", args=[compact.pk, leaf.pk])
    seen_a, seen_b = seen_of(a.get(url)), seen_of(b.get(url), index=1)

    a.post(url, criterion_data(leaf, seen_a, title="Sửa bởi A"))
    response = b.post(delete, {"seen": seen_b}, follow=True)

    assert f"Sửa bởi A → {leaf.title}" in text(response)
    assert Criterion.objects.filter(pk=leaf.pk).exists()

    b.post(delete, {"seen": seen_of(b.get(url), index=1)})
    assert not Criterion.objects.filter(pk=leaf.pk).exists()


def test_members_stale_save_is_refused_then_saved_deliberately():
    compact, units, _cr, (a, b) = two_secretariats()
    first, second = UnitFactory(short_name="PCCC Mới A"), UnitFactory(short_name="PCCC Mới B")
    url = reverse("scoring:members", args=[compact.pk])
    seen_a, seen_b = seen_of(a.get(url)), seen_of(b.get(url))
    ours = [u.pk for u in units]

    assert a.post(url, {"units": [*ours, first.pk], "seen": seen_a}).status_code == 302
    response = b.post(url, {"units": [*ours, second.pk], "seen": seen_b})

    assert response.status_code == 200
    assert "PCCC Mới A" in text(response) and "Người khác đã lưu thay đổi" in text(response)
    members = set(Membership.objects.filter(year=compact.year).values_list("unit_id", flat=True))
    assert members == {*ours, first.pk}

    again = b.post(url, {"units": [*ours, second.pk], "seen": seen_of(response)})
    assert again.status_code == 302
    members = set(Membership.objects.filter(year=compact.year).values_list("unit_id", flat=True))
    assert members == {*ours, second.pk}


def test_members_saved_unchanged_write_nothing():
    compact, units, _cr, (a, _b) = two_secretariats()
    url = reverse("scoring:members", args=[compact.pk])
    before = Membership.history.count()

    response = a.post(url, {"units": [u.pk for u in units], "seen": seen_of(a.get(url))})

    assert response.status_code == 302
    assert Membership.history.count() == before


def settings_data(page, **changes):
    form = page.context["form"]
    data = {name: form[name].value() for name in ("movement", "slogan", "commitments")}
    data |= {
        "signed_on": "",
        "signed_place": "",
        "content_max": "40",
        "bonus_cap": "10",
        "deduction_cap": "",
        "bands_text": form["bands_text"].value(),
        "tie_breaker_1": form["tie_breaker_1"].value(),
        "tie_breaker_2": form["tie_breaker_2"].value(),
        "tie_breaker_3": form["tie_breaker_3"].value(),
        "rank_by": form["rank_by"].value(),
        "reason": "",
        "seen": seen_of(page),
    }
    return data | changes


@pytest.mark.usefixtures("template_contexts")
def test_settings_stale_save_is_refused_then_saved_deliberately():
    compact, _units, _cr, (a, b) = two_secretariats()
    url = reverse("scoring:settings", args=[compact.pk])
    page_a, page_b = a.get(url), b.get(url)

    assert a.post(url, settings_data(page_a, slogan="Khẩu hiệu A")).status_code == 302
    response = b.post(url, settings_data(page_b, slogan="Khẩu hiệu B", bonus_cap="20"))

    assert response.status_code == 200
    assert "Khẩu hiệu A → Khẩu hiệu B" in text(response)
    compact.refresh_from_db()
    assert (compact.slogan, compact.bonus_cap) == ("Khẩu hiệu A", 10)

    again = b.post(url, settings_data(response, slogan="Khẩu hiệu B", bonus_cap="20"))
    assert again.status_code == 302
    compact.refresh_from_db()
    assert (compact.slogan, compact.bonus_cap) == ("Khẩu hiệu B", 20)


@pytest.mark.usefixtures("template_contexts")
def test_settings_saved_unchanged_write_nothing():
    compact, _units, _cr, (a, _b) = two_secretariats(status=Compact.Status.SIGNING)
    url = reverse("scoring:settings", args=[compact.pk])
    history, events, updated = (
        compact.history.count(),
        CompactEvent.objects.count(),
        compact.updated_at,
    )

    assert a.post(url, settings_data(a.get(url))).status_code == 302

    compact.refresh_from_db()
    assert (compact.history.count(), CompactEvent.objects.count()) == (history, events)
    assert compact.updated_at == updated


def signature_data(unit, seen, representative):
    return {
        "unit": unit.pk,
        "representative": representative,
        "title": "Trưởng phòng",
        "signed_on": "09/03/2018",
        "seen": seen,
    }


def test_signature_stale_save_is_refused_then_replaced_deliberately():
    compact, units, _cr, (a, b) = two_secretariats(status=Compact.Status.SIGNING)
    url = reverse("scoring:signing", args=[compact.pk])
    seen_a, seen_b = seen_of(a.get(url), index=1), seen_of(b.get(url), index=1)

    a.post(url, signature_data(units[0], seen_a, "Đại tá Lê Văn A"))
    response = b.post(url, signature_data(units[0], seen_b, "Đại tá Trần Văn B"))

    assert "Đại tá Lê Văn A, Trưởng phòng, 09/03/2018 → Đại tá Trần Văn B" in text(response)
    assert Signature.objects.get().representative == "Đại tá Lê Văn A"

    again = b.post(url, signature_data(units[0], seen_of(response, index=1), "Đại tá Trần Văn B"))
    assert again.status_code == 302
    assert Signature.objects.get().representative == "Đại tá Trần Văn B"

    history = Signature.history.count()
    same = seen_of(b.get(url), index=1)
    assert b.post(url, signature_data(units[0], same, "Đại tá Trần Văn B")).status_code == 302
    assert Signature.history.count() == history


def test_document_upload_on_a_stale_page_is_refused_then_replaced_deliberately():
    compact, _units, _cr, (a, b) = two_secretariats(status=Compact.Status.SIGNING)
    page = reverse("scoring:signing", args=[compact.pk])
    upload = reverse("scoring:document_upload", args=[compact.pk])
    seen_a, seen_b = seen_of(a.get(page)), seen_of(b.get(page))

    def post(client, seen, name):
        file = SimpleUploadedFile(name, b"%PDF-1.4 " + name.encode())
        return client.post(
            upload, {"field": "signed_scan", "file": file, "seen": seen}, follow=True
        )

    post(a, seen_a, "scan-a.pdf")
    compact.refresh_from_db()
    stored = compact.signed_scan.name
    response = post(b, seen_b, "scan-b.pdf")

    assert f"{stored.rsplit('/', 1)[-1]} → scan-b.pdf" in text(response)
    compact.refresh_from_db()
    assert compact.signed_scan.name == stored

    post(b, seen_of(b.get(page)), "scan-b.pdf")
    compact.refresh_from_db()
    assert compact.signed_scan.name != stored
    assert compact.signed_scan.read() == b"%PDF-1.4 scan-b.pdf"


def test_a_tampered_seen_state_is_refused_with_a_message():
    compact, _units, cr, (a, _b) = two_secretariats()
    leaf = cr["G1.1"]
    url = reverse("scoring:criterion", args=[compact.pk, leaf.pk])

    response = a.post(url, criterion_data(leaf, "x\x00²", title="Khác"))

    assert response.status_code == 200
    assert "Trang này đã cũ" in text(response)
    assert Criterion.objects.get(pk=leaf.pk).title == leaf.title
