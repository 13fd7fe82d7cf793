"""The demo's 2017 year prints 2017's names everywhere: every page, export, document and
API answer reached from the 2017 compact, as each role, holds no unit name that began after
2017 (the PC07 names of August 2018, the names of the 2025 mergers).

The walk follows every link of each page that stays within the 2017 compact (and the
cluster overview of 2017), reads workbooks cell by cell and documents paragraph by
paragraph, and looks for each later name that no 2017 name contains.
"""

import datetime
import html
import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from scoring.models import Compact, Criterion
from tests.later_names import document_text, names_after, workbook_text
from units.models import Unit

pytestmark = pytest.mark.django_db
PASSWORD = "demo-pass-123"
END_2017 = datetime.date(2017, 12, 31)
# The administrator reaches every page the secretariat (thuky) does, with the same text but
# the signed-in name (compared page by page when this was decided), so the walk as the
# secretariat is left out (it read the same pages again).
ROLES = ["lanhdao", "pccc_nghean", "admin"]


def text_of(response) -> str:
    kind = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in kind:
        return workbook_text(body)
    if "wordprocessingml" in kind:
        return document_text(body)
    if "html" in kind or "json" in kind:
        return html.unescape(body.decode())
    return ""  # uploaded files (PDF): the secretariat's, not ours


def walk(client, starts, inside):
    """(url → text) of every page reached from `starts` by links for which `inside` holds."""
    seen, queue, texts = set(), list(starts), {}
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200:
            continue
        texts[url] = text_of(response)
        if "html" in response.get("Content-Type", ""):
            for link in re.findall(r'href="([^"#]+)"', texts[url]):
                path = urlsplit(link)
                target = path.path + (f"?{path.query}" if path.query else "")
                if not path.netloc and inside(target) and target not in seen:
                    queue.append(target)
    return texts


@pytest.mark.parametrize("username", ROLES)
def test_the_2017_year_shows_no_name_that_began_after_2017(client, demo, username):
    compact = Compact.objects.get(cluster__number=12, year=2017)
    later = names_after(END_2017)
    assert {"PC07 Nghệ An", "Phòng Cảnh sát PCCC và CNCH, Công an tỉnh Nghệ An"} <= later
    assert client.login(username=username, password=PASSWORD)
    prefix = f"/compacts/{compact.pk}/"
    nghean = Unit.objects.get(code="pccc-nghean")
    starts = [
        reverse("scoring:compact", args=[compact.pk]),
        reverse("scoring:dashboard", args=[compact.pk]),
        reverse("scoring:self", args=[compact.pk]),
        f"{reverse('scoring:overview')}?year=2017",
        *(
            f"{reverse('scoring:export', args=[compact.pk, report])}?unit={nghean.pk}"
            for report in ("ranking", "matrix", "unit", "template")
        ),
    ]
    # Three of one unit's cell histories stand for the others' (the same page, with the same
    # unit's name, 30 times per unit).
    histories = tuple(
        f"{prefix}units/{nghean.pk}/criteria/{criterion.pk}/history/"
        for criterion in Criterion.objects.filter(compact=compact).leaves().order_by("pk")[:3]
    )

    texts = walk(
        client,
        starts,
        inside=lambda url: (
            url.startswith(prefix) and ("/history/" not in url or url.startswith(histories))
        ),
    )

    assert len(texts) > {"lanhdao": 20, "pccc_nghean": 10, "admin": 60}[username]
    assert sum("/history/" in url for url in texts) == len(histories) == 3
    assert sum("Cảnh sát PCCC tỉnh Nghệ An" in t for t in texts.values()) >= 5
    found = {(url, name) for url, text in texts.items() for name in later if name in text}
    assert found == set()
