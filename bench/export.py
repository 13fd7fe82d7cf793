"""The matrix Excel export at 100 units × 500 criteria (50,000 score cells): time and peak
Python memory of the streamed export (reads included, written into a temporary file, as the
download does), next to raw openpyxl (write-only) writing the same cells in the same run.
bench/run.py measures the whole download against raw SQL and raw XlsxWriter.

    python bench/export.py            (SQLite; or set DATABASE_URL for PostgreSQL)
"""

import datetime
import io
import tempfile
import time
import tracemalloc

from common import build_compact, report, start_django, stop_django

UNITS, CRITERIA = 100, 500


def measure(func, *, repeat=3):
    """(result, median milliseconds, peak MiB). Time and memory are measured in separate
    runs: tracing every allocation slows Python down several times."""
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = func()
        timings.append((time.perf_counter() - started) * 1000)
    tracemalloc.start()
    func()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, sorted(timings)[len(timings) // 2], peak / (1024 * 1024)


def raw_openpyxl(rows, columns):
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("raw")
    for r in range(rows):
        sheet.append([f"C{r}", "Tiêu chí", 10.0] + [float(r % 10) for _ in range(columns)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main():
    connection = start_django()
    try:
        from scoring import excel, selectors

        compact = build_compact(UNITS, CRITERIA, 2017)
        vendor = connection.vendor
        day = datetime.date(2017, 11, 28)
        raw, raw_ms, raw_mb = measure(lambda: raw_openpyxl(CRITERIA + 5, UNITS))

        def export():
            with tempfile.TemporaryFile() as file, selectors.matrix_data(compact) as data:
                excel.matrix_workbook(data, day=day, file=file)
                return file.tell()

        size, write_ms, write_mb = measure(export)
        label = f"export.{vendor}.matrix_{UNITS}x{CRITERIA}"
        report(f"{label}.raw_openpyxl", raw_ms, "ms")
        report(f"{label}.raw_openpyxl_peak", raw_mb, "MiB")
        report(f"{label}.export_with_reads", write_ms, "ms")
        report(f"{label}.export_peak", write_mb, "MiB")
        report(f"{label}.export_vs_raw", write_ms / raw_ms, "x")
        report(f"{label}.size", size // 1024, "KiB")
        report(f"{label}.raw_size", len(raw) // 1024, "KiB")
    finally:
        stop_django(connection)


if __name__ == "__main__":
    main()
