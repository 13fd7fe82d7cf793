"""Two people saving the same cells at the same time, many times, through gunicorn and
PostgreSQL: every save either lands or is refused with the conflict message, and no update
is lost — no two landed saves were based on the same version, and the final value is the
last landed one.

    python bench/conflicts.py [--rounds 200]
"""

import argparse
import contextlib
import re
import threading

from server import Browser, demo_server

VERSION = re.compile(r'name="ver-(\d+)-(\d+)" value="(\d+)"')
CONFLICT = "đã sửa ô này thành"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    with demo_server(workers=4, database="cumthidua_bench_conflicts") as base:
        import django

        django.setup()
        from scoring.models import Compact, Criterion, Score
        from units.models import Unit

        compact = Compact.objects.get(year=2018)
        unit = Unit.objects.get(code="pccc-binhdinh")
        cells = list(Criterion.objects.filter(compact=compact, code__in=["I.1", "I.2"]))
        path = f"/compacts/{compact.pk}/units/{unit.pk}/"
        barrier = threading.Barrier(2)
        landed, refused, errors = [], [], []
        lock = threading.Lock()

        def writer(name, offset):
            browser = Browser(base)
            browser.sign_in(name)
            for round_number in range(args.rounds):
                _status, page, _t = browser.request(path)
                versions = {int(c): int(v) for _u, c, v in VERSION.findall(page)}
                value = (round_number % 30) + offset  # each writer types its own values
                data = {"csrfmiddlewaretoken": browser.token(page)}
                for criterion in cells:
                    data[f"v-{unit.pk}-{criterion.pk}"] = str(value)
                    data[f"ver-{unit.pk}-{criterion.pk}"] = str(versions[criterion.pk])
                with contextlib.suppress(threading.BrokenBarrierError):
                    barrier.wait(timeout=30)  # both submit at the same moment
                status, body, _t = browser.request(path, data)
                with lock:
                    if status == 302:
                        landed.append((versions[cells[0].pk], value, name))
                    elif status == 200 and CONFLICT in body:
                        refused.append(name)
                    else:
                        errors.append(f"{name}: HTTP {status}")

        threads = [
            threading.Thread(target=writer, args=("thuky", 0)),
            threading.Thread(target=writer, args=("admin", 0.5)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        based_on = [version for version, _v, _n in landed]
        lost = len(based_on) - len(set(based_on))
        final = {s.criterion_id: s for s in Score.objects.filter(compact=compact, unit=unit)}
        last_value = max(landed)[1] if landed else None
        final_version = final[cells[0].pk].version if cells[0].pk in final else 0
        consistent = all(
            final[c.pk].verified_value == final[cells[0].pk].verified_value for c in cells
        )

    saves = len(landed) + len(refused) + len(errors)
    print(f"conflicts.saves: {saves}")
    print(f"conflicts.landed: {len(landed)}")
    print(f"conflicts.refused_with_conflict_message: {len(refused)}")
    print(f"conflicts.errors: {len(errors)}")
    print(f"conflicts.lost_updates: {lost}")
    print(f"conflicts.final_version_matches_landed: {final_version == len(landed)}")
    print(
        f"conflicts.final_value_is_last_landed: "
        f"{last_value is not None and float(final[cells[0].pk].verified_value) == last_value}"
    )
    print(f"conflicts.cells_saved_together: {consistent}")
    ok = (
        not errors
        and lost == 0
        and final_version == len(landed)
        and consistent
        and float(final[cells[0].pk].verified_value) == last_value
    )
    print(
        f"summary: {saves} saves, {len(landed)} landed, {len(refused)} refused, "
        f"{lost} lost, {len(errors)} errors"
    )
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    import os
    import sys

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cumthidua.settings")
    os.environ.setdefault("SECRET_KEY", "conflict-benchmark")
    main()
