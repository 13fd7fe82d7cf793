"""Settings for cumthidua, read from the environment (django-environ).

Safe defaults: DEBUG is off unless set, and a SECRET_KEY must be given unless DEBUG is on.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for development).")
    SECRET_KEY = "django-insecure-development-only-key"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "units",
    "scoring",
]

MIDDLEWARE = [
    # First: an oversized body is refused before anything reads it or the database.
    "cumthidua.limits.RequestBodyLimitMiddleware",
    # Second: pages and JSON leave gzipped, after every other middleware has had its say on
    # them (cumthidua/compression.py says why BREACH does not apply).
    "cumthidua.compression.PageGZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After whitenoise: every response that is not a static file is `private, no-store`.
    "cumthidua.cache.PrivateNoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # A read that meets a database fault runs again from here (session, user, view) once.
    "cumthidua.db_faults.RetryReadsMiddleware",
    # Vietnamese whatever the browser prefers; English only by the user's choice.
    "cumthidua.language.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cumthidua.urls"
WSGI_APPLICATION = "cumthidua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN, so two savers queue instead of failing
    # half-way with "database is locked"; WAL lets readers continue meanwhile.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A server that accepts but never answers must not hold a worker for a minute.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
    )
# /healthz answers 503 when the database has not answered a trivial query within this time.
HEALTHZ_TIMEOUT = env.float("HEALTHZ_TIMEOUT", default=2.5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # django-axes counts failed sign-ins and locks out before Django checks the password.
    "axes.backends.AxesStandaloneBackend",
    # Signs nobody in: closes the units whose merger took effect, before passwords are checked.
    "scoring.auth_backends.CloseDueMergersBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)  # hours
# A lockout holds for one user name from one address: a stranger elsewhere cannot lock a
# colleague out by typing their (predictable) user name.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Behind nginx every request comes from the proxy's address: count the proxies we trust and
# read the client from X-Forwarded-For's right-hand end (0 = no proxy, REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
AXES_CLIENT_IP_CALLABLE = "cumthidua.client_ip.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Internationalisation: Vietnamese first, English available.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The choice made in the language switcher is remembered for a year (not only until the
# browser closes); the browser's own preference is never used (cumthidua/language.py).
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# A refused form (expired page, lost cookie) gets a page in Vietnamese, in the site's layout.
CSRF_FAILURE_VIEW = "cumthidua.errors.csrf_failure"
FORMAT_MODULE_PATH = ["cumthidua.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Years and ids must not print as "2.017"; points get their grouping from the `points` filter.
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
STORAGES = {
    # Uploads (evidence, signed scans). For several application hosts, put MEDIA_ROOT on
    # shared storage, or use django-storages: MEDIA_STORAGE_BACKEND=storages.backends.s3.S3Storage
    # and MEDIA_STORAGE_OPTIONS='{"bucket_name": "…", "endpoint_url": "…"}'.
    "default": {
        "BACKEND": env.str(
            "MEDIA_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": env.json("MEDIA_STORAGE_OPTIONS", default={}),
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or not env.bool("STATIC_MANIFEST", default=True)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded evidence lives outside static and is only served through views that check access.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# No URL route serves MEDIA_URL: evidence is downloaded through views that check access.
MEDIA_URL = "/media/"

# A score sheet posts three fields a cell (value, reason, version): 20 units × 300 criteria
# fit. Django's default of 1,000 would refuse a full 8 × 150 sheet.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000
# The body of a request without files (form fields, JSON) held in memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Any request body, files included: refused with 413 from its Content-Length, before a byte of
# it is read (cumthidua.limits). nginx's client_max_body_size should say the same.
REQUEST_MAX_BODY_BYTES = env.int("REQUEST_MAX_BODY_MB", default=50) * 1024 * 1024
# Evidence (minh chứng): per file, per criterion, and per unit and compact (files and MB).
EVIDENCE_MAX_FILE_BYTES = env.int("EVIDENCE_MAX_FILE_MB", default=10) * 1024 * 1024
EVIDENCE_MAX_FILES_PER_CRITERION = env.int("EVIDENCE_MAX_FILES_PER_CRITERION", default=10)
EVIDENCE_MAX_FILES_PER_UNIT = env.int("EVIDENCE_MAX_FILES_PER_UNIT", default=300)
EVIDENCE_MAX_UNIT_BYTES = env.int("EVIDENCE_MAX_UNIT_MB", default=1000) * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_TAGS = {40: "danger"}

# Sessions live in the database, so that several application servers can share them.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_COOKIE_HTTPONLY = True

# Security: safe by default outside development. TLS is normally ended by the proxy in front
# (nginx), which also redirects http to https; set SECURE_SSL_REDIRECT=1 to let Django do it.
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
if env.bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Scripts only from this site (no inline scripts or handlers); inline style attributes are
# allowed. Bootstrap draws some icons as data: images.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": env.str("AXES_LOG_LEVEL", default="WARNING")}},
}
