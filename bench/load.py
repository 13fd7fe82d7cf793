"""A load run against gunicorn + PostgreSQL on loopback: leaders browsing the dashboard and
its JSON, secretaries opening unit pages and saving cells, for a bounded time and count.

    python bench/load.py [--seconds 60] [--users 8] [--max-requests 20000]

Prints requests per second, p50/p95 latency per kind, and the number of errors (any 5xx,
any unexpected status, any exception). Exits non-zero if there was an error.
"""

import argparse
import random
import re
import statistics
import threading
import time

from server import Browser, demo_server

VERSION = re.compile(r'name="ver-(\d+)-(\d+)" value="(\d+)"')
JUDGED = re.compile(r'data-crit="(\d+)" data-kind="judged" data-max="([\d.]+)"')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--max-requests", type=int, default=20000)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()

    with demo_server(workers=args.workers) as base:
        import django

        django.setup()
        from scoring.models import Compact
        from units.models import Unit

        compact = Compact.objects.get(year=2018)
        writable_units = list(
            Unit.objects.filter(
                code__in=[
                    "pccc-binhdinh",
                    "pccc-quangngai",
                    "pccc-thuathienhue",
                    "pccc-bariavungtau",
                ]
            ).values_list("pk", flat=True)
        )
        results = {"dashboard": [], "ranking.json": [], "unit page": [], "save": []}
        errors = []
        lock = threading.Lock()
        deadline = time.monotonic() + args.seconds
        budget = {"left": args.max_requests}

        def record(kind, status, seconds, expected):
            with lock:
                results[kind].append(seconds)
                budget["left"] -= 1
                if status not in expected:
                    errors.append(f"{kind}: HTTP {status}")

        def more():
            return time.monotonic() < deadline and budget["left"] > 0

        def leader():
            browser = Browser(base)
            browser.sign_in("lanhdao")
            while more():
                status, _b, t = browser.request(f"/compacts/{compact.pk}/dashboard/")
                record("dashboard", status, t, {200})
                status, _b, t = browser.request(f"/compacts/{compact.pk}/ranking.json")
                record("ranking.json", status, t, {200})

        def secretary(unit_pk):
            browser = Browser(base)
            browser.sign_in("thuky")
            rng = random.Random(unit_pk)
            path = f"/compacts/{compact.pk}/units/{unit_pk}/"
            while more():
                status, page, t = browser.request(path)
                record("unit page", status, t, {200})
                versions = {c: v for _u, c, v in VERSION.findall(page)}
                judged = dict(JUDGED.findall(page))  # criterion → maximum
                data = {"csrfmiddlewaretoken": browser.token(page)}
                for criterion in rng.sample(sorted(judged), 3):
                    # A valid value, as a person would type it; a new one each time.
                    value = rng.randint(0, int(float(judged[criterion])) * 2) / 2
                    data[f"v-{unit_pk}-{criterion}"] = str(value).replace(".", ",")
                    data[f"ver-{unit_pk}-{criterion}"] = versions[criterion]
                status, _b, t = browser.request(path, data)
                record("save", status, t, {302})

        threads = [threading.Thread(target=leader) for _ in range(args.users // 2)]
        threads += [
            threading.Thread(target=secretary, args=(writable_units[i % 4],))
            for i in range(args.users - args.users // 2)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started

    total = sum(len(v) for v in results.values())
    print(f"load.duration: {elapsed:.1f} s")
    print(f"load.users: {args.users} (gunicorn workers: {args.workers})")
    print(f"load.requests: {total}")
    print(f"load.requests_per_second: {total / elapsed:.1f} req/s")
    for kind, timings in results.items():
        if timings:
            p95 = statistics.quantiles(timings, n=20)[-1] if len(timings) > 1 else timings[0]
            print(f"load.{kind}.count: {len(timings)}")
            print(f"load.{kind}.p50: {statistics.median(timings) * 1000:.1f} ms")
            print(f"load.{kind}.p95: {p95 * 1000:.1f} ms")
    print(f"load.errors: {len(errors)}")
    for error in sorted(set(errors))[:10]:
        print(f"  {error}")
    print(f"summary: {total} requests, {len(errors)} errors, {total / elapsed:.1f} req/s")
    raise SystemExit(1 if errors else 0)


if __name__ == "__main__":
    import os
    import sys

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cumthidua.settings")
    os.environ.setdefault("SECRET_KEY", "load-benchmark")
    main()
