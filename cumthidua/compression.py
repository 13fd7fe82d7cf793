"""Gzip for the pages and JSON the application renders (a score sheet of 25 units × 500
criteria is megabytes of HTML that compress twenty-fold), and for nothing else: evidence
downloads and Excel files are compressed already or streamed, and static files come
compressed from whitenoise.

BREACH (a secret in a compressed page guessed from the size of responses that reflect what
an attacker sends): the only secret in our pages is the CSRF token, which Django masks with a
new random value in every response, and Django's GZipMiddleware pads each response with
random bytes (Heal The BREACH), so the sizes say nothing useful. The session cookie is never
in a body.
"""

from django.middleware.gzip import GZipMiddleware

COMPRESSED_TYPES = ("text/html", "application/json")


class PageGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        if response.streaming or content_type not in COMPRESSED_TYPES:
            return response
        return super().process_response(request, response)
