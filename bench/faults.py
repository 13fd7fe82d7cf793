"""Database faults during a load run: gunicorn + PostgreSQL on loopback, leaders reading the
dashboard and ranking.json, secretaries saving cells on unit pages, while every connection of
the application is killed (`pg_terminate_backend`) a few times. Bounded in time and count.

    python bench/faults.py [--seconds 45] [--users 8] [--kills 3] [--max-requests 20000]

Reports, per kind, the answers; the errors (a 500, a connection error, an unexpected status);
the saves refused with the Vietnamese "not saved, try again" 503; the lost saves (a cell that
does not hold the value of its last save answered 302); and the saves answered 503 that were
written all the same (the connection died after the commit). Exits non-zero on an error or a
lost save.
"""

import argparse
import random
import re
import threading
import time
from collections import Counter

from server import ADMIN_URL, Browser, demo_server

VERSION = re.compile(r'name="ver-(\d+)-(\d+)" value="(\d+)"')
JUDGED = re.compile(r'data-crit="(\d+)" data-kind="judged" data-max="([\d.]+)"')
NOT_SAVED = "Chưa lưu: hãy thử lại"
UNITS = ["pccc-binhdinh", "pccc-quangngai", "pccc-thuathienhue", "pccc-bariavungtau"]
DATABASE = "cumthidua_bench_faults"


def kill_connections(database):
    """Terminates every backend connected to the application's database; how many."""
    import psycopg2

    admin = psycopg2.connect(f"{ADMIN_URL}/postgres")
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [database],
            )
            return cursor.fetchone()[0]
    finally:
        admin.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=45)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--max-requests", type=int, default=20000)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()

    with demo_server(workers=args.workers, database=DATABASE) as base:
        import django

        django.setup()
        from django.db import connection

        from scoring.models import Compact, Score
        from units.models import Unit

        compact = Compact.objects.get(year=2018)
        units = list(Unit.objects.filter(code__in=UNITS).values_list("pk", flat=True))
        connection.close()  # ours would be killed with the others

        answers = Counter()  # (kind, status) → count
        errors, refused = [], Counter()
        history = {}  # (unit, criterion) → [(answer, value)] in the order of the answers
        lock = threading.Lock()
        deadline = time.monotonic() + 3600  # set when everyone has signed in
        budget = {"left": args.max_requests}
        kills = []

        def more():
            return time.monotonic() < deadline and budget["left"] > 0

        def request(browser, kind, path, data=None):
            with lock:
                budget["left"] -= 1
            try:
                status, body, _t = browser.request(path, data)
            except OSError as error:  # reset, refused, timed out
                with lock:
                    errors.append(f"{kind}: {type(error).__name__}")
                return None, ""
            with lock:
                answers[(kind, status)] += 1
            return status, body

        def leader(browser):
            while more():
                for kind, path in (
                    ("dashboard", f"/compacts/{compact.pk}/dashboard/"),
                    ("ranking.json", f"/compacts/{compact.pk}/ranking.json"),
                ):
                    status, _body = request(browser, kind, path)
                    if status not in (200, None):
                        with lock:
                            errors.append(f"{kind}: HTTP {status}")

        def secretary(browser, unit_pk):
            rng = random.Random(unit_pk)
            path = f"/compacts/{compact.pk}/units/{unit_pk}/"
            while more():
                status, page = request(browser, "unit page", path)
                if status != 200:
                    if status is not None:
                        with lock:
                            errors.append(f"unit page: HTTP {status}")
                    continue
                versions = {int(c): v for _u, c, v in VERSION.findall(page)}
                judged = {int(c): m for c, m in JUDGED.findall(page)}
                data, typed = {"csrfmiddlewaretoken": browser.token(page)}, {}
                for criterion in rng.sample(sorted(judged), 3):
                    value = rng.randint(0, int(float(judged[criterion])) * 2) / 2
                    typed[(unit_pk, criterion)] = value
                    data[f"v-{unit_pk}-{criterion}"] = str(value).replace(".", ",")
                    data[f"ver-{unit_pk}-{criterion}"] = versions[criterion]
                status, body = request(browser, "save", path, data)
                with lock:
                    if status == 302:
                        answer = "landed"
                    elif status == 503 and NOT_SAVED in body:
                        answer = "refused"
                        refused["save"] += 1
                    else:
                        answer = "unknown"
                        if status is not None:
                            errors.append(f"save: HTTP {status}")
                    for key, value in typed.items():
                        history.setdefault(key, []).append((answer, value))

        def killer():
            for number in range(args.kills):
                # Evenly spread over the run, not at its very start or end.
                moment = (number + 1) * args.seconds / (args.kills + 1)
                time.sleep(max(0, deadline - args.seconds + moment - time.monotonic()))
                if not more():
                    break
                kills.append(kill_connections(DATABASE))

        def signed_in(username):
            browser = Browser(base)
            browser.sign_in(username)
            return browser

        # Everyone signs in before the clock and the faults start.
        threads = [
            threading.Thread(target=leader, args=(signed_in("lanhdao"),))
            for _ in range(args.users // 2)
        ]
        threads += [
            threading.Thread(target=secretary, args=(signed_in("thuky"), units[i % len(units)]))
            for i in range(args.users - args.users // 2)
        ]
        threads.append(threading.Thread(target=killer))
        deadline = time.monotonic() + args.seconds
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started

        stored = {
            (s.unit_id, s.criterion_id): s.verified_value
            for s in Score.objects.filter(compact=compact, unit_id__in=units)
        }
        connection.close()
        # Each cell must hold the value of its last save answered 302. If it holds instead
        # the value of a later save that was answered 503 (or got no answer), that save was
        # committed and its answer lost with the connection: "refused but written", which
        # the version check turns into a conflict on the next save, not a lost update.
        lost, phantom = [], []
        for key, answers_of_cell in history.items():
            landed_at = [i for i, (answer, _v) in enumerate(answers_of_cell) if answer == "landed"]
            if not landed_at:
                continue
            expected = answers_of_cell[landed_at[-1]][1]
            later = [v for _a, v in answers_of_cell[landed_at[-1] + 1 :]]
            value = float(stored[key]) if stored.get(key) is not None else None
            if value == expected:
                continue
            (phantom if value in later else lost).append(key)
        checked = sum(1 for a in history.values() if any(x == "landed" for x, _v in a))

    total = sum(answers.values()) + len(errors)
    print(f"faults.duration: {elapsed:.1f} s")
    print(f"faults.users: {args.users} (gunicorn workers: {args.workers})")
    print(f"faults.kills: {len(kills)} (connections terminated: {', '.join(map(str, kills))})")
    print(f"faults.requests: {total}")
    for (kind, status), count in sorted(answers.items()):
        print(f"faults.answers.{kind}.{status}: {count}")
    print(f"faults.saves_refused_with_try_again: {refused['save']}")
    print(f"faults.errors: {len(errors)}")
    for error, count in Counter(errors).most_common(10):
        print(f"  {error} × {count}")
    print(f"faults.cells_checked: {checked}")
    print(f"faults.lost_saves: {len(lost)}")
    print(f"faults.refused_but_written: {len(phantom)}")
    print(
        f"summary: {total} requests, {len(kills)} kills, {len(errors)} errors, "
        f"{refused['save']} saves refused (try again), {len(lost)} lost saves"
    )
    raise SystemExit(1 if errors or lost else 0)


if __name__ == "__main__":
    import os
    import sys

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cumthidua.settings")
    os.environ.setdefault("SECRET_KEY", "faults-benchmark")
    main()
