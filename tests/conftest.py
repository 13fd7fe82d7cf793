import pytest
from django.utils import translation

from scoring.demo import seed_demo


@pytest.fixture(autouse=True)
def vietnamese():
    """Tests run in the users' language unless they say otherwise."""
    with translation.override("vi"):
        yield


@pytest.fixture
def demo(db):
    seed_demo(password="demo-pass-123")


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # The demo creates eleven users; the production hasher is deliberately slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    # Production uses whitenoise's manifest, which needs `collectstatic`; tests use finders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def axes_off_unless_asked(settings, request):
    """django-axes needs the request on every sign-in, which the test client's login() does
    not pass; tests of the lockout itself ask for it with the `axes` marker."""
    settings.AXES_ENABLED = request.node.get_closest_marker("axes") is not None
