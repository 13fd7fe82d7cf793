"""Nothing the application renders may be kept by a browser or a proxy cache: pages show a
person's scores, evidence and reports (and the back button of a shared computer would show
them to the next person). Static files never reach this middleware: whitenoise, before it in
MIDDLEWARE, answers them with its own long-lived caching."""

from django.utils.cache import patch_cache_control


class PrivateNoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, private=True, no_store=True)
        return response
