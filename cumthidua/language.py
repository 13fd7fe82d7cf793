"""The interface language: Vietnamese, whatever the browser prefers.

Django's LocaleMiddleware follows the browser's Accept-Language header when the user has not
chosen a language, so a browser set up in English got an English interface. The product's
language is Vietnamese; English is only shown to a user who chose it in the language switcher
(Django's `set_language` view, which remembers the choice in the language cookie).
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_noop


def chosen_language(request) -> str:
    """The language the user chose in the switcher if it is one we offer, else the default."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen:
        try:
            return translation.get_supported_language_variant(chosen)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


class LanguageMiddleware:
    """Activates the chosen language (see `chosen_language`) for the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        # The page depends on the language cookie only, not on Accept-Language.
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


# Django 6.1 labels the empty choice of a select "- Select an option -" and has no Vietnamese
# for it; our catalogue does (LOCALE_PATHS is searched before Django's own catalogues). This
# line only makes `makemessages` keep the message in locale/vi/LC_MESSAGES/django.po.
BLANK_CHOICE_LABEL = gettext_noop("- Select an option -")
