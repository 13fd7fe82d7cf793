"""Hostile workbooks (built by tests/hostile.py at test time): every importer refuses each one
quickly, in bounded memory, with a Vietnamese message, writing nothing and logging no error."""

import html
import io
import json
import logging
import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse

from scoring.excel import parse_scheme_workbook, read_filled_template
from scoring.models import Compact, Criterion, Score
from scoring.workbooks import WorkbookError, open_workbook, scheme_limits
from tests import hostile
from tests.factories import UserFactory, UserRoleFactory, build_compact, score

ROOT = Path(__file__).resolve().parent.parent.parent
NOT_XLSX = "Tệp không phải bảng tính Excel (.xlsx)."
DECLARATIONS = "Tệp chứa khai báo XML (DTD hoặc entity)"
UNPACKS = "Tệp giải nén ra hơn 30 MB"
BEYOND = "vượt quá"
# What each file is refused with (the part of the message both importers share).
EXPECTED = {
    "oversized": "Tệp lớn hơn",
    "zip_bomb": UNPACKS,
    "lying_zip_bomb": NOT_XLSX,
    "many_parts": NOT_XLSX,
    "far_cell_declared": "tới ô XFD1048576, vượt quá",
    "far_cell_undeclared": "tới ô XFD1048576, vượt quá",
    "tall_rows": BEYOND,
    "incident_rows": UNPACKS,
    "unnumbered_rows": BEYOND,
    "wide_row": BEYOND,
    "overlapping_merges": NOT_XLSX,
    "billion_laughs": DECLARATIONS,
    "chained_entities": DECLARATIONS,
    "external_entity": DECLARATIONS,
    "doctype_only": DECLARATIONS,
    "utf16_entities": DECLARATIONS,
}
READERS = {"scheme": parse_scheme_workbook, "template": read_filled_template}
MEMORY_LIMIT = 200 * 1024 * 1024  # over the process's baseline
SECONDS = 5


def test_every_hostile_file_has_an_expected_refusal():
    assert sorted(EXPECTED) == sorted(hostile.BUILDERS)


@pytest.mark.parametrize("reader", sorted(READERS))
@pytest.mark.parametrize("name", sorted(hostile.BUILDERS))
def test_a_hostile_file_is_refused_quickly_in_bounded_memory(name, reader):
    content = hostile.hostile(name)
    tracemalloc.start()
    # CPU time, not the clock's: on a loaded machine the clock counts other processes' turns
    # (one refusal took 7.2 s by the clock at a load of 14 on 2 cores).
    start = time.process_time()
    try:
        with pytest.raises(WorkbookError) as refused:
            READERS[reader](io.BytesIO(content))
        seconds = time.process_time() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    message = refused.value.message
    assert EXPECTED[name] in message
    assert "\n" not in message
    assert seconds < SECONDS, f"{name}: {seconds:.1f} s of CPU"
    assert peak < MEMORY_LIMIT, f"{name}: {peak / 1e6:.0f} MB"


def test_defusedxml_guards_openpyxl():
    assert openpyxl.DEFUSEDXML is True


def test_a_read_past_the_time_budget_is_stopped(settings):
    settings.EXCEL_IMPORT_SECONDS = 0
    with pytest.raises(WorkbookError) as refused:
        parse_scheme_workbook(io.BytesIO(hostile.base()))
    assert refused.value.message.startswith("Đọc tệp quá 0 giây nên đã dừng")


def test_the_honest_base_file_reads_in_both_importers():
    parsed = parse_scheme_workbook(io.BytesIO(hostile.base()))
    assert [(n.code, n.max_points) for n in parsed.nodes] == [("I", "10"), ("I.1", "10")]
    filled = read_filled_template(io.BytesIO(hostile.base()))
    assert (filled.cluster_number, filled.year, filled.unit_code) == (12, 2018, "pccc-nghean")


def test_cells_covered_by_a_merged_range_read_as_empty():
    """As in openpyxl's normal mode: LibreOffice may keep a covered cell's old value."""
    rows = (
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>title</t></is></c>'
        b'<c r="B1"><v>99</v></c><c r="C1"><v>7</v></c></row>'
    )
    merges = b'<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>'
    content = hostile.replaced({hostile.SHEET: hostile.sheet_xml(rows, merges=merges)})
    sheet = open_workbook(io.BytesIO(content), limits=scheme_limits()).worksheets[0]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [["title", None, 7]]


@pytest.mark.django_db
def test_the_import_pages_refuse_each_kind_of_hostile_file_and_write_nothing(client, caplog):
    compact, units, _criteria = build_compact(status=Compact.Status.DRAFT)
    score(compact, units[0], _criteria["G1.1"], 1)
    user = UserFactory()
    UserRoleFactory(user=user, role="secretariat", cluster=compact.cluster)
    client.force_login(user)
    before = (
        list(Criterion.objects.values_list("id", "code", "max_points")),
        list(Score.objects.values_list("id", "version", "verified_value", "self_value")),
    )
    caplog.set_level(logging.DEBUG)
    # One file for each way a file is refused (the readers refuse every file: the test
    # above); the pages show each refusal and write nothing.
    for name in sorted({message: name for name, message in sorted(EXPECTED.items())}.values()):
        for view in ("scoring:scheme_import", "scoring:template_import"):
            upload = io.BytesIO(hostile.hostile(name))
            upload.name = f"{name}.xlsx"
            response = client.post(reverse(view, args=[compact.pk]), {"file": upload})
            page = html.unescape(response.content.decode())
            assert response.status_code == 200, (name, view)
            assert EXPECTED[name] in page, (name, view)
            assert "Traceback" not in page
    assert not [
        record for record in caplog.records if record.levelno >= logging.ERROR or record.exc_info
    ]
    assert "scheme_import" not in str(dict(client.session))
    after = (
        list(Criterion.objects.values_list("id", "code", "max_points")),
        list(Score.objects.values_list("id", "version", "verified_value", "self_value")),
    )
    assert after == before


# The commands, as a person runs them: one child process per file, forked from a process
# that has loaded Django, so each child's peak RSS is the command's (baseline included).
HARNESS = """
import json, os, sys, time, traceback
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cumthidua.settings")
import django
django.setup()
from django.core.management import ManagementUtility
import scoring.management.commands.import_scheme, scoring.management.commands.import_scores
# The system checks each command runs first import the whole URLconf, most of a child's
# time: run once here, each child starts from a process that holds it, as for the commands.
from django.core.checks import run_checks
run_checks()
jobs = json.loads(sys.argv[1])
# (ru_maxrss survives exec, so it would show the test process's peak: read VmRSS instead.)
status = "/proc/self/status"
lines = open(status).read().splitlines() if os.path.exists(status) else []
baseline = next((int(line.split()[1]) / 1024 for line in lines if line.startswith("VmRSS")), 0)
results = []
for argv, err in jobs:
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        os.dup2(os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 2)
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        code = 0
        try:
            ManagementUtility(["manage.py", *argv]).execute()
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else 1
        except BaseException:
            traceback.print_exc()
            code = 1
        sys.stderr.flush()
        os._exit(code)
    _pid, status, usage = os.wait4(pid, 0)
    results.append({
        "status": os.waitstatus_to_exitcode(status),
        "seconds": time.monotonic() - start,
        "peak_mb": usage.ru_maxrss / 1024,
    })
print(json.dumps({"baseline_mb": baseline, "results": results}))
"""
COMMANDS = {
    "import_scheme": ["--dry-run", "--format", "json"],
    "import_scores": ["--cluster", "12", "--year", "2018", "--dry-run"],
}


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (Linux, macOS)")
def test_the_commands_refuse_every_hostile_file_in_15_s_and_400_mb(tmp_path):
    jobs, names = [], []
    for name in sorted(hostile.BUILDERS):
        path = tmp_path / f"{name}.xlsx"
        path.write_bytes(hostile.hostile(name))
        for command, options in COMMANDS.items():
            err = tmp_path / f"{name}-{command}.err"
            jobs.append([[command, str(path), *options], str(err)])
            names.append((name, command, err))
    run = subprocess.run(
        [sys.executable, "-c", HARNESS, json.dumps(jobs)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "SECRET_KEY": "insecure-test-only", "DEBUG": "0"},
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    print(f"\nbaseline {report['baseline_mb']:.0f} MB")
    for (name, command, err), result in zip(names, report["results"], strict=True):
        lines = err.read_text().splitlines()
        print(
            f"{name:20} {command:14} exit {result['status']} {result['seconds']:5.2f} s "
            f"{result['peak_mb']:4.0f} MB  {lines[-1][:90] if lines else ''}"
        )
        assert result["status"] != 0, (name, command)
        assert len(lines) == 1, (name, command, lines)
        assert lines[0].startswith("CommandError: "), (name, command, lines)
        assert EXPECTED[name] in lines[0], (name, command, lines)
        assert result["seconds"] < 15, (name, command, result)
        assert result["peak_mb"] < 400, (name, command, result)
