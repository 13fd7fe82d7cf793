"""The page shown when a form's CSRF check fails (CSRF_FAILURE_VIEW), in the site's layout.

Django's own page is English and technical; the usual cause here is a page left open past
the session's end, and the user needs to know that nothing was saved and what to do.
"""

from django.shortcuts import render


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
