"""Vietnamese by default, English available; the catalogue is complete and compiled."""

import ast
import gettext
import re
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from scoring.models import Compact, Criterion, Score
from units.models import Unit

LOCALE = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES"


def po_entries():
    """(msgid, msgid_plural, msgstr, fuzzy) for each entry of the Vietnamese .po file, the
    header excluded; for plural entries msgstr is the one form Vietnamese has. A msgid with a
    context is given as gettext stores it: "context\x04msgid"."""
    entries, current, field, fuzzy = [], {}, None, False
    for line in [*(LOCALE / "django.po").read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith(("msgid", "msgstr", "msgctxt")):
            field, _, literal = line.partition(" ")
            current[field.replace("[0]", "")] = ast.literal_eval(literal)
            field = field.replace("[0]", "")
        elif line.startswith('"') and field:
            current[field] += ast.literal_eval(line)
        elif not line.strip() and current:
            if current.get("msgid"):
                context = current.get("msgctxt")
                entries.append(
                    (
                        f"{context}\x04{current['msgid']}" if context else current["msgid"],
                        current.get("msgid_plural"),
                        current.get("msgstr", ""),
                        fuzzy,
                    )
                )
            current, field, fuzzy = {}, None, False
    return entries


def test_every_message_has_a_vietnamese_translation():
    entries = po_entries()
    assert len(entries) > 200
    assert [msgid for msgid, _plural, msgstr, fuzzy in entries if not msgstr or fuzzy] == []


GETTEXT_CALLS = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext"}


def source_messages():
    """(file:line, msgid) of every gettext call on a literal in the project's Python code."""
    base = Path(settings.BASE_DIR)
    for root in ("scoring", "units", "cumthidua"):
        for path in sorted((base / root).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not (
                    isinstance(node, ast.Call) and getattr(node.func, "id", "") in GETTEXT_CALLS
                ):
                    continue
                literals = [a.value for a in node.args if isinstance(a, ast.Constant)]
                if node.func.id.startswith("pgettext") and len(literals) >= 2:
                    yield (
                        f"{path.relative_to(base)}:{node.lineno}",
                        f"{literals[0]}\x04{literals[1]}",
                    )
                elif literals and isinstance(literals[0], str):
                    yield f"{path.relative_to(base)}:{node.lineno}", literals[0]


def test_every_message_in_the_code_is_in_the_catalogue():
    """makemessages (xgettext) skips a gettext call inside an f-string: its message fell out
    of the catalogue at the next `make messages` and the page showed it in English."""
    translated = {msgid for msgid, _plural, msgstr, fuzzy in po_entries() if msgstr and not fuzzy}
    missing = [
        f"{where}: {msgid!r}" for where, msgid in source_messages() if msgid not in translated
    ]
    assert missing == []


def test_compiled_catalogue_matches_the_po_file():
    with open(LOCALE / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        msgid
        for msgid, plural, msgstr, _ in po_entries()
        if (compiled.ngettext(msgid, plural, 1) if plural else compiled.gettext(msgid)) != msgstr
    ]
    assert stale == [], "run `make messages` to recompile locale/vi/LC_MESSAGES/django.mo"


@pytest.mark.django_db
def test_language_can_be_switched_before_sign_in(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})

    assert response.status_code == 302
    assert client.get("/accounts/login/").content.decode().count("Sign in") >= 1


@pytest.mark.django_db
def test_sheet_follows_the_language_number_format(client, demo):
    compact = Compact.objects.get(year=2018)
    unit = Unit.objects.get(code="pccc-binhdinh")
    criterion = Criterion.objects.get(compact=compact, code="I.1")
    Score.objects.create(
        compact=compact,
        unit=unit,
        criterion=criterion,
        verified_value=D("37.5"),
        verified_points=D("37.5"),
    )
    client.login(username="thuky", password="demo-pass-123")
    url = reverse("scoring:sheet", args=[compact.pk])
    name = f'name="v-{unit.pk}-{criterion.pk}"'

    assert f'{name} value="37,5"' in client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url).content.decode()
    assert f'{name} value="37.5"' in english
    assert "Score sheet" in english


def test_dates_print_the_vietnamese_administrative_way():
    import datetime

    from django.utils import formats

    with translation.override("vi"):
        day = datetime.date(2017, 3, 15)
        assert formats.date_format(day) == "ngày 15 tháng 3 năm 2017"
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "15/03/2017"
        assert formats.number_format(D("1234.5"), force_grouping=True) == "1.234,5"


ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


@pytest.mark.django_db
def test_an_english_browser_gets_the_vietnamese_sign_in_page(client):
    content = client.get("/accounts/login/", **ENGLISH_BROWSER).content.decode()

    assert '<html lang="vi">' in content
    assert "Tên đăng nhập" in content
    assert "Username" not in content


@pytest.mark.django_db
def test_an_english_browser_gets_vietnamese_pages_when_signed_in(client, demo):
    client.login(username="thuky", password="demo-pass-123")
    compact = Compact.objects.get(year=2018)

    home = client.get("/", **ENGLISH_BROWSER)
    sheet = client.get(reverse("scoring:sheet", args=[compact.pk]), **ENGLISH_BROWSER)

    assert home.headers["Content-Language"] == "vi"
    assert "Accept-Language" not in home.headers.get("Vary", "")
    assert "Nhập và thẩm định điểm" in home.content.decode()
    assert "Bảng chấm điểm" in sheet.content.decode()
    assert "Score sheet" not in sheet.content.decode()


@pytest.mark.django_db
def test_english_only_by_the_users_choice_which_is_remembered(client, demo):
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/accounts/login/"}, **ENGLISH_BROWSER
    )
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert (cookie.value, cookie["max-age"]) == ("en", 365 * 24 * 3600)

    login_page = client.get("/accounts/login/", **ENGLISH_BROWSER).content.decode()
    assert "Username" in login_page
    assert "Tên đăng nhập" not in login_page
    client.login(username="thuky", password="demo-pass-123")
    # Whatever the browser prefers, even Vietnamese, the choice holds.
    home = client.get("/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert '<html lang="en">' in home
    assert "Nhập và thẩm định điểm" not in home

    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert "Nhập và thẩm định điểm" in client.get("/", **ENGLISH_BROWSER).content.decode()


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_vietnamese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    content = client.get("/accounts/login/", **ENGLISH_BROWSER).content.decode()

    assert "Tên đăng nhập" in content


def test_every_table_header_cell_says_what_it_heads():
    """Screen readers announce a cell with its headers only when each <th> has a scope."""
    root = Path(__file__).resolve().parents[1]
    offenders = [
        f"{path.relative_to(root)}: {match.group(0)}"
        for path in [*(root / "templates").rglob("*.html"), *(root / "scoring").rglob("*.py")]
        for match in re.finditer(r"<th(?=[\s>])[^>]*>", path.read_text(encoding="utf-8"))
        if "scope=" not in match.group(0)
    ]
    assert offenders == []
