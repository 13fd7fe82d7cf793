from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from scoring import views as scoring_views

from . import views

urlpatterns = [
    path("", scoring_views.home, name="home"),
    path("", include("scoring.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
