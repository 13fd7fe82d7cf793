"""A URL configuration for the error page tests: the project's routes and one that fails."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from cumthidua.urls import urlpatterns as project_urlpatterns


@login_not_required
def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [*project_urlpatterns, path("broken/", broken)]
