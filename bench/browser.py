"""The score sheet in Chromium at 8 × 150 and 25 × 500: time to usable, keystroke → repaint,
saving one unit's column, and the page's bytes (raw and gzipped).

    python bench/browser.py                  (SQLite; or set DATABASE_URL for PostgreSQL)
    python bench/browser.py --runs 5 --sizes 25x500

Prints one `name: value unit` line per figure, each a median over --runs page loads, next to
its floors:
- `static`: the same HTML bytes opened from a file, with the same CSS and script: what the
  browser alone spends on this markup, with no server work;
- `bare`: a table of the same number of plain inputs and nothing else: what the browser
  spends on that many inputs at all.
Usable = the navigation's start → the first frame after DOMContentLoaded (the sheet script
runs before it), measured in the page. Keystroke → repaint = a key's event time → the end of
the frame that shows its effect (requestAnimationFrame, then a task), median of many keys.
Save = click on Save → the sheet's success message and the next frame (updated in place; or
the reloaded page's message and first frame), with one unit's column changed; in place, it is
also given in parts: `server` (the request sent → the answer's headers: the server's work),
`body` (the answer's bytes), `parse` (JSON.parse) and `apply` (sheet-save.js writing the answer
into the page, up to the next frame).
Chromium is Debian's (/usr/bin/chromium); the server is Django's live server thread.
"""

import argparse
import gzip
import os
import random
import statistics
import tempfile
import time
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("SECURE_COOKIES", "0")  # plain http on loopback
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("DEBUG", "0")
# Playwright's sync API runs an event loop in this thread; the ORM calls around it are sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from common import report, start_django, stop_django

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1366, "height": 768}
KEYSTROKES = 30

# Injected before any page script (Playwright's init scripts are not subject to the CSP).
PROBE = """
(() => {
  window.__latencies = [];
  document.addEventListener("DOMContentLoaded", () => {
    requestAnimationFrame(() => setTimeout(() => { window.__usable = performance.now(); }));
  });
  // The in-place save's parts: the server's answer (fetch → its headers), its body, parsing
  // the JSON, and the rest (applying it to the page, up to the next frame).
  const fetch0 = window.fetch;
  window.fetch = async (...args) => {
    const times = { start: performance.now() };
    window.__fetchTimes = times;
    const response = await fetch0(...args);
    times.headers = performance.now();
    response.json = async () => {
      const text = await response.text();
      times.body = performance.now();
      const value = JSON.parse(text);
      times.parsed = performance.now();
      return value;
    };
    return response;
  };
  window.addEventListener("keydown", (event) => {
    if (!/^[0-9]$|^Backspace$/.test(event.key)) return;
    const started = event.timeStamp;
    requestAnimationFrame(() => setTimeout(() => {
      window.__latencies.push(performance.now() - started);
    }));
  }, true);
})();
"""


def parse():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="8x150,25x500")
    parser.add_argument("--screenshots", help="a directory for screenshots at 1366 and 390 px")
    parser.add_argument("--save-html", help="a directory to keep each sheet's HTML in")
    parser.add_argument("--html-only", action="store_true", help="only build and save the HTML")
    return parser.parse_args()


def build_sheet(units, criteria, *, seed=2026):
    """A compact of `units` members and about `criteria` leaves, every cell self-assessed and
    verified, in the shape of a real scheme: content groups of 2 and 3 levels with judged,
    pass/fail and quantitative-free leaves, a bonus and a deduction section with per-occurrence
    items, titles of about 60 characters, one verified value in 8 differing from the
    self-assessed one with a reason.

    Returns (compact, member units, leaves)."""
    from scoring.models import Criterion, Score
    from tests.factories import build_compact

    rng = random.Random(seed)
    content = criteria - 10  # 5 bonus and 5 deduction items besides
    groups = 10
    per_group = content // groups
    compact, members, _ = build_compact(
        units=units, groups=groups, criteria_per_group=per_group, bonus_cap=Decimal(30)
    )
    compact.deduction_cap = Decimal(20)
    compact.save(update_fields=["deduction_cap"])
    all_criteria = {c.code: c for c in Criterion.objects.filter(compact=compact)}
    title = "Thực hiện đầy đủ, kịp thời các nhiệm vụ được giao trong năm {}"
    changed = []
    for code, criterion in all_criteria.items():
        criterion.title = title.format(code)
        if criterion.parent_id and code.startswith("G") and rng.random() < 0.1:
            criterion.kind = "pass_fail"
        changed.append(criterion)
    Criterion.objects.bulk_update(changed, ["title", "kind"])
    bonus, deduction = all_criteria["B"], all_criteria["D"]
    extra = []
    for i in range(2, 6):
        for parent, per in ((bonus, Decimal(5)), (deduction, Decimal(2))):
            extra.append(
                Criterion(
                    compact=compact,
                    parent=parent,
                    code=f"{parent.code}.{i}",
                    title=title.format(f"{parent.code}.{i}"),
                    kind=parent.kind,
                    max_points=None,
                    points_per_occurrence=per,
                    position=parent.position + i,
                )
            )
    Criterion.objects.bulk_create(extra)
    leaves = list(Criterion.objects.filter(compact=compact).leaves().order_by("position", "id"))
    scores = []
    for unit in members:
        for leaf in leaves:
            if leaf.kind == "pass_fail":
                value = points = Decimal(1)
                points = leaf.max_points
            elif leaf.points_per_occurrence:
                value = Decimal(rng.randint(0, 3))
                points = value * leaf.points_per_occurrence
            else:
                value = points = Decimal(rng.randint(10, 20)) / 2
            differs = leaf.kind == "judged" and rng.random() < 0.125
            verified = value - Decimal("0.5") if differs else value
            scores.append(
                Score(
                    compact=compact,
                    unit=unit,
                    criterion=leaf,
                    self_value=value,
                    self_points=points,
                    verified_value=verified,
                    verified_points=verified if differs else points,
                    verified_note="Đối chiếu minh chứng: thiếu văn bản" if differs else "",
                    version=1,
                )
            )
    Score.objects.bulk_create(scores, batch_size=5000)
    return compact, members, leaves


def signed_in_context(browser, server_url, user):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(locale="vi-VN", viewport=VIEWPORT, bypass_csp=True)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": server_url}]
    )
    context.add_init_script(PROBE)
    return context, client


def time_to_usable(context, url):
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.wait_for_function("window.__usable !== undefined")
    usable = page.evaluate("window.__usable")
    page.close()
    return usable


def keystroke_latencies(context, url, unit_pk):
    """Types digits and backspaces into one unit's cells down the column."""
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.wait_for_function("window.__usable !== undefined")
    inputs = page.locator(f'input.cell-input[name^="v-{unit_pk}-"]')
    if not inputs.count():
        raise RuntimeError(f"no cells at {page.url}: {page.content()[:3000]}")
    inputs.first.focus()
    for i in range(KEYSTROKES):
        expected = len(page.evaluate("window.__latencies"))
        key = "Backspace" if i % 2 else str(1 + i % 9)
        page.keyboard.press(key)
        page.wait_for_function(f"window.__latencies.length > {expected}")
        if i % 2:
            page.keyboard.press("Escape")  # back to the saved value
            page.keyboard.press("Enter")  # next row
    latencies = page.evaluate("window.__latencies")
    page.close()
    return latencies


def save_column(context, url, unit_pk, value):
    """Changes every judged cell of one unit's column (as a paste would: values, no key events),
    then times Save → the sheet saying it saved (updated in place, or reloaded)."""
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.wait_for_function("window.__usable !== undefined")
    count = page.evaluate(
        """([unit, value]) => {
            const inputs = document.querySelectorAll(
              `tr[data-kind="judged"] input.cell-input[name^="v-${unit}-"]`
            );
            for (const input of inputs) {
              input.value = value;
              let reason = input.closest("td").querySelector("input.reason");
              if (!reason && input.dataset.selfPoints !== undefined) {
                // Where the page draws the reason only once the values differ.
                input.dispatchEvent(new Event("input", { bubbles: true }));
                reason = input.closest("td").querySelector("input.reason");
              }
              if (reason) reason.value = "Đối chiếu";
            }
            inputs[0].dispatchEvent(new Event("input", { bubbles: true }));
            return inputs.length;
        }""",
        [unit_pk, value],
    )
    started = time.perf_counter()
    page.evaluate("window.__samePage = true")
    page.locator("[data-save]").click()
    # Saved in place (the alert in [data-save-status], then the next frame), or by a reload.
    page.wait_for_function(
        """() => {
            const alert = document.querySelector(".alert");
            if (!alert || !/Đã lưu|Chưa lưu/.test(alert.textContent)) return false;
            if (window.__samePage && window.__savedAt === undefined) {
              window.__savedAt = 0;
              requestAnimationFrame(() => setTimeout(() => {
                window.__savedAt = 1;
                window.__savedFrame = performance.now();
              }));
            }
            return !window.__samePage || window.__savedAt === 1;
        }""",
        polling=10,
    )
    elapsed = (time.perf_counter() - started) * 1000
    in_place = page.evaluate("window.__samePage === true")
    parts = None
    if in_place:
        t = page.evaluate("({...window.__fetchTimes, frame: window.__savedFrame})")
        parts = {
            "server": t["headers"] - t["start"],
            "body": t["body"] - t["headers"],
            "parse": t["parsed"] - t["body"],
            "apply": t["frame"] - t["parsed"],
        }
    text = page.locator(".alert").first.inner_text()
    page.close()
    return elapsed, count, text, in_place, parts


def bare_table(units, leaves):
    row = "<tr><th>1</th><td>x</td>" + "<td><input></td>" * units + "</tr>"
    return f"<!doctype html><html><body><table>{row * leaves}</table></body></html>"


def measure(browser, server_url, user, compact, members, leaves, args):
    runs, screenshots = args.runs, args.screenshots
    from django.urls import reverse

    url = f"{server_url}{reverse('scoring:sheet', args=[compact.pk])}"
    context, client = signed_in_context(browser, server_url, user)
    html = client.get(reverse("scoring:sheet", args=[compact.pk])).content
    size = f"{len(members)}x{len(leaves)}"
    name = f"browser.{size}"
    report(f"{name}.html_bytes", round(len(html) / 1024), "KiB")
    report(f"{name}.html_gzip_bytes", round(len(gzip.compress(html, 6)) / 1024), "KiB")
    if args.save_html:
        Path(args.save_html, f"sheet-{size}.html").write_bytes(html)
    if args.html_only:
        context.close()
        return
    served = context.request.get(url, headers={"Accept-Encoding": "gzip"})
    report(f"{name}.served_encoding", served.headers.get("content-encoding", "none"), "")

    with tempfile.TemporaryDirectory() as folder:
        static = Path(folder, "static.html")
        static.write_bytes(
            html.replace(b"<head>", f'<head><base href="{server_url}/">'.encode(), 1)
        )
        bare = Path(folder, "bare.html")
        bare.write_text(bare_table(len(members), len(leaves)))
        usable, floor_static, floor_bare = [], [], []
        for _ in range(runs):  # alternating, so that a slow moment hits all three alike
            usable.append(time_to_usable(context, url))
            floor_static.append(time_to_usable(context, static.as_uri()))
            floor_bare.append(time_to_usable(context, bare.as_uri()))
    report(f"{name}.usable", statistics.median(usable), "ms")
    report(f"{name}.usable_floor_static_same_html", statistics.median(floor_static), "ms")
    report(f"{name}.usable_floor_bare_inputs", statistics.median(floor_bare), "ms")

    middle = len(members) // 2
    latencies = []
    for _ in range(max(1, runs // 2)):
        latencies += keystroke_latencies(context, url, members[middle].pk)
    report(f"{name}.keystroke_repaint", statistics.median(latencies), "ms")
    report(f"{name}.keystroke_repaint_p90", statistics.quantiles(latencies, n=10)[-1], "ms")

    saves, parts = [], []
    for run in range(runs):
        elapsed, count, text, in_place, part = save_column(
            context, url, members[middle].pk, str(1 + run % 2)
        )
        assert f"Đã lưu {count} ô điểm" in text, text
        saves.append(elapsed)
        parts.append(part)
    report(f"{name}.save_one_column", statistics.median(saves), "ms")
    if all(parts):
        for key in parts[0]:
            report(f"{name}.save_{key}", statistics.median(p[key] for p in parts), "ms")
    report(f"{name}.save_in_place", in_place, "")
    report(f"{name}.save_one_column_cells", count, "cells")
    if screenshots:
        for width, height in ((1366, 768), (390, 844)):
            page = context.new_page()
            page.set_viewport_size({"width": width, "height": height})
            page.goto(url, wait_until="load")
            page.screenshot(path=str(Path(screenshots, f"sheet-{size}-{width}.png")))
            page.close()
    context.close()


def main():
    args = parse()
    connection = start_django()
    try:
        run(args)
    finally:
        if connection.vendor == "postgresql":  # the live server's threads may hold sessions
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
        stop_django(connection)


def run(args):
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.db import connections
    from django.test.testcases import LiveServerThread
    from playwright.sync_api import sync_playwright

    from tests.factories import UserFactory, UserRoleFactory

    overrides = {}
    if connections["default"].vendor == "sqlite":
        overrides = {"default": connections["default"]}  # the in-memory test database
        connections["default"].inc_thread_sharing()
    server = LiveServerThread("127.0.0.1", StaticFilesHandler, connections_override=overrides)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    server_url = f"http://127.0.0.1:{server.port}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            for size in args.sizes.split(","):
                units, criteria = (int(n) for n in size.split("x"))
                compact, members, leaves = build_sheet(units, criteria)
                user = UserFactory()
                UserRoleFactory(user=user, role="secretariat", cluster=compact.cluster)
                measure(browser, server_url, user, compact, members, leaves, args)
            browser.close()
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
