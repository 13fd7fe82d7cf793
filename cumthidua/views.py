import logging
import threading

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

# At most one probe waits on the database at a time: while one hangs, the next checks answer
# 503 at once instead of piling up threads and connections.
_probe_running = threading.Lock()


def _probe_database(result):
    """Runs in its own thread, so on its own connection, closed afterwards."""
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # The server gives up too, should the client stop waiting.
                timeout_ms = int(settings.HEALTHZ_TIMEOUT * 1000)
                cursor.execute(f"SET statement_timeout = {timeout_ms}")
            cursor.execute("SELECT 1")
            result["ok"] = cursor.fetchone() == (1,)
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
    finally:
        connection.close()
        _probe_running.release()


def database_answers(timeout):
    """True when the database answers a trivial query within `timeout` seconds."""
    if not _probe_running.acquire(blocking=False):
        logger.error("Health check: the previous check is still waiting for the database")
        return False
    result = {"ok": False}
    thread = threading.Thread(
        target=_probe_database, args=(result,), name="healthz-probe", daemon=True
    )
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        logger.error("Health check: the database did not answer within %s s", timeout)
        return False
    return result["ok"]


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """For load balancers and monitoring: 200 when the database answers within
    HEALTHZ_TIMEOUT seconds, 503 otherwise (also while it accepts but never answers)."""
    if not database_answers(settings.HEALTHZ_TIMEOUT):
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
