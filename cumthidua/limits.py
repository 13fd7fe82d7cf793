"""Refuses a request body over REQUEST_MAX_BODY_BYTES from its Content-Length, before reading it."""

from django.conf import settings
from django.utils.translation import gettext as _

from .plain import plain_page


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.REQUEST_MAX_BODY_BYTES
        if length > limit:
            megabytes = limit // (1024 * 1024)
            return plain_page(
                request,
                status=413,
                title=_("The files are too large"),
                message=_(
                    "What you sent is larger than %(limit)s MB in total, so nothing was saved. "
                    "Send fewer or smaller files at a time (each evidence file up to %(file)s MB)."
                )
                % {"limit": megabytes, "file": settings.EVIDENCE_MAX_FILE_BYTES // (1024 * 1024)},
            )
        return self.get_response(request)
