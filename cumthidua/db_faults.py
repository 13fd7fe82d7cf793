"""When the database drops a connection or restarts.

A read (GET, HEAD) that fails on the connection is run once more on a new connection: a
dropped connection costs the reader nothing. A write is never run twice: its transaction was
rolled back, so the person gets a 503 page saying that nothing was saved and to try again —
the browser's back button returns to the form with what they typed. That page, and the one for
a read that failed twice, need neither the database nor the session (`server_error`, set as
handler500, answers every database fault wherever it happened, also outside the view).
"""

import logging
import sys

from django.db import InterfaceError, OperationalError, connection
from django.utils.translation import gettext as _
from django.views.defaults import server_error as django_server_error

from .plain import plain_page

logger = logging.getLogger(__name__)
DATABASE_FAULTS = (OperationalError, InterfaceError)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class RetryReadsMiddleware:
    """Runs a read-only view again, once, after a database fault. Last in MIDDLEWARE, so the
    other middleware's process_view ran already and only the view itself is repeated."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in SAFE_METHODS:
            return None
        try:
            return view_func(request, *view_args, **view_kwargs)
        except DATABASE_FAULTS as error:
            if connection.in_atomic_block:
                raise
            logger.warning("Database fault on a read, retrying once: %s", error)
            connection.close()  # the next query opens a new connection
            return view_func(request, *view_args, **view_kwargs)


def database_unavailable(request):
    if request.method in SAFE_METHODS:
        return plain_page(
            request,
            status=503,
            title=_("The database is not answering"),
            message=_(
                "The page could not be read because the database is briefly unavailable. "
                "Wait a moment and reload the page."
            ),
        )
    return plain_page(
        request,
        status=503,
        title=_("Not saved: please try again"),
        message=_(
            "The database was briefly unavailable, so nothing of this save was written. Go "
            "back with the browser's Back button — what you typed is still there — and save "
            "again in a moment."
        ),
    )


def server_error(request, template_name="500.html"):
    """handler500: a database fault is a 503 that asks to try again, anything else Django's 500."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_FAULTS):
        return database_unavailable(request)
    return django_server_error(request, template_name=template_name)
