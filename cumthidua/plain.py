"""A page that needs neither the database nor a signed-in user: for refusals that happen
before the request reaches a view (oversized body) or while the database is away."""

from django.http import HttpResponse
from django.template.loader import render_to_string


def plain_page(request, *, status, title, message, resend=None):
    # No request in the context: context processors would read the session and the user.
    html = render_to_string(
        "plain_error.html", {"title": title, "message": message, "resend": resend}
    )
    response = HttpResponse(html, status=status)
    response["Cache-Control"] = "private, no-store"
    return response
