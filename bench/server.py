"""A real server for load benchmarks: a fresh PostgreSQL database with the demo, gunicorn on
loopback, and a small HTTP client that signs in and submits forms like a browser."""

import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
PASSWORD = "bench-password-2026"
ADMIN_URL = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")


@contextmanager
def demo_server(*, port=8765, workers=3, database="cumthidua_bench_load"):
    """Yields the base URL of gunicorn serving the demo from a fresh PostgreSQL database."""
    import psycopg2

    admin = psycopg2.connect(f"{ADMIN_URL}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{database}"')
    env = {
        **os.environ,
        "DATABASE_URL": f"{ADMIN_URL}/{database}",
        "SECRET_KEY": "load-benchmark-secret-key-not-for-production-4815162342",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_COOKIES": "0",  # plain http on loopback
        "LOG_LEVEL": "WARNING",
    }
    for command in (
        ["migrate", "-v0"],
        ["seed_demo", "--password", PASSWORD],
        ["collectstatic", "--noinput", "-v0"],
    ):
        subprocess.run(
            [PYTHON, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    server = subprocess.Popen(
        [
            GUNICORN,
            "cumthidua.wsgi",
            "-c",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        os.environ["DATABASE_URL"] = env["DATABASE_URL"]
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Cookies, CSRF tokens and forms, like a person's browser (without JavaScript)."""

    TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def request(self, path, data=None):
        """(status, body, seconds)."""
        body = None if data is None else urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(self.base + path, data=body)
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=30) as response:
                content = response.read().decode("utf-8", "replace")
                status = response.status
        except urllib.error.HTTPError as error:
            content = error.read().decode("utf-8", "replace")
            status = error.code
        return status, content, time.perf_counter() - started

    def sign_in(self, username):
        _status, page, _t = self.request("/accounts/login/")
        token = self.TOKEN.search(page).group(1)
        status, _body, _t = self.request(
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD},
        )
        if status != 302:
            raise RuntimeError(f"{username} could not sign in ({status})")

    def token(self, page):
        return self.TOKEN.search(page).group(1)


def python_path():
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
