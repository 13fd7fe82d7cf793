"""When the database drops a connection or restarts.

A read (GET, HEAD) that fails on the connection is run once more on a new connection, the
whole request (session and user included): a dropped connection costs the reader nothing. A
write is never run twice: its transaction was rolled back, so the person gets a 503 page
saying that nothing was saved, with a button that posts what they typed once more (files
excepted: they go back and attach them again). That page, and the one for a read that
failed twice, need neither the database nor the session (`server_error`, set as handler500,
answers every database fault wherever it happened, also outside the view).
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
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


class RetryReadsMiddleware:
    """Runs a read-only request once more, on a new connection, after a database fault
    anywhere inside it (the session, the user, the view, the template). Placed early in
    MIDDLEWARE: everything after it runs again. `server_error` marks the faulted request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            getattr(request, "database_fault", False)
            and request.method in SAFE_METHODS
            and not connection.in_atomic_block
        ):
            logger.warning("Database fault on a read of %s: retrying once", request.path)
            request.database_fault = False
            connection.close()  # the next query opens a new connection
            response = self.get_response(request)
        return response


def _resend(request):
    """The posted form, to post again as it was from this page: what was typed survives
    whatever the browser keeps. Not for uploads (files cannot be re-posted from a page).
    Posting again is safe: the saved versions travel with the values, so a save that was in
    fact written is refused as a conflict rather than applied twice."""
    if request.content_type not in FORMS or request.FILES:
        return None
    fields = [(name, value) for name in request.POST for value in request.POST.getlist(name)]
    return {"action": request.get_full_path(), "fields": fields}


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
        resend=_resend(request),
        title=_("Not saved: please try again"),
        message=_(
            "The database was briefly unavailable, so nothing of this save was written. In a "
            "moment, press Save again below: it sends what you typed once more."
        ),
    )


def server_error(request, template_name="500.html"):
    """handler500: a database fault is a 503 that asks to try again, anything else Django's 500."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_FAULTS):
        request.database_fault = True
        return database_unavailable(request)
    return django_server_error(request, template_name=template_name)
