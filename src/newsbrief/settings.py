"""Django settings, every one read from the environment through the table in
``newsbrief/conf.py`` (names, defaults, descriptions; README.md lists the same).

Nothing secret lives here: production sets ``NEWSBRIEF_SECRET_KEY``; development (``make run``)
sets ``NEWSBRIEF_DEBUG=1`` and gets a throwaway key. Combinations that cannot work are
reported by ``newsbrief check`` (``newsbrief/checks.py`` and the apps' ``checks.py``).
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from newsbrief import conf

PACKAGE_DIR = Path(__file__).resolve().parent

# Lower case: not a Django setting itself (the debug page would show it, secrets and all).
env = conf.read()

DEBUG = env["NEWSBRIEF_DEBUG"]
DATA_DIR = env["NEWSBRIEF_DATA_DIR"]

# Outside debug mode an unset key stays empty: `newsbrief check` (and every command that runs
# the checks, `serve` and `migrate` among them) stops with the fix, and Django refuses to sign
# anything with an empty key.
SECRET_KEY = env["NEWSBRIEF_SECRET_KEY"]
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-development-key-never-used-in-production"

ALLOWED_HOSTS = env["NEWSBRIEF_ALLOWED_HOSTS"]

INSTALLED_APPS = [
    # Before the admin, so that its registration/ templates (sign-in, password reset) are
    # the board's rather than the admin's.
    "newsbrief.accounts",
    # Django's admin, on a site that signs in through the sign-in throttle.
    "newsbrief.accounts.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Its templates and static files: the API's docs page served from here, not a CDN.
    "ninja",
    "newsbrief.briefs",
    "newsbrief.formats",
    "newsbrief.desk",
    "newsbrief.bench",
    "newsbrief.search",
    "newsbrief.related",
    "newsbrief.ingest",
    "newsbrief.feeds",
    "newsbrief.digest",
    "newsbrief.pages",
    "newsbrief.pictures",
    "newsbrief.entities",
    "newsbrief.phorum",
    "newsbrief.worker",
    "newsbrief.seo",
    "huey.contrib.djhuey",
]

MIDDLEWARE = [
    # Outermost: it reads the page store's epoch before anything reads the database.
    "newsbrief.pages.middleware.PageStoreMiddleware",
    "newsbrief.replicas.ReplicaReadsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "newsbrief.middleware.SecurityHeadersMiddleware",
    "newsbrief.middleware.RefuseNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "newsbrief.briefs.middleware.BoardMiddleware",
    "newsbrief.briefs.audit.ActorMiddleware",
    "newsbrief.briefs.legacy.LegacyAddressMiddleware",
]

ROOT_URLCONF = "newsbrief.urls"
WSGI_APPLICATION = "newsbrief.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsbrief.briefs.context_processors.board",
            ],
        },
    },
]


def database_config(url: str) -> dict:
    """Parse ``DATABASE_URL``; SQLite gets WAL and immediate transactions so that concurrent
    writers queue instead of failing with "database is locked"."""
    config = dj_database_url.parse(url, conn_max_age=0 if url.startswith("sqlite") else 60)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        }
    return config


DATABASES = {"default": database_config(env["DATABASE_URL"])}
if DATABASES["default"]["NAME"] == str(DATA_DIR / "newsbrief.sqlite3"):
    DATA_DIR.mkdir(parents=True, exist_ok=True)
# Read replicas of a PostgreSQL primary (comma-separated URLs): anonymous reads of pages that
# are not stored go to them (newsbrief/replicas.py).
for number, url in enumerate(env["NEWSBRIEF_REPLICA_URLS"], start=1):
    DATABASES[f"replica{number}"] = {**database_config(url), "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["newsbrief.replicas.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

# The board's own time: briefs are stamped and shown in the newsroom's zone (the seed's
# "March 20, 2012 09:20PM" is Taipei time).
TIME_ZONE = env["NEWSBRIEF_TIME_ZONE"]
USE_TZ = True
USE_I18N = True
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hant", "繁體中文")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]

STATIC_URL = "/static/"
# `newsbrief serve` collects the static files here (names carrying a hash of their content,
# with gzip and brotli copies) and WhiteNoise serves them for a year; a front server can serve
# the same directory. Debug mode serves them from the package, unhashed.
STATIC_ROOT = env["NEWSBRIEF_STATIC_ROOT"]
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
# Files browsers ask for at the site's root (favicon.ico).
WHITENOISE_ROOT = PACKAGE_DIR / "seo" / "root"


def cache_config(url: str) -> dict:
    """``NEWSBRIEF_CACHE_URL``: empty for this process's memory, ``redis://host:port/db``
    (``rediss://`` with TLS) for a cache that several app servers share."""
    if not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": env["NEWSBRIEF_CACHE_PREFIX"],
        }
    raise ImproperlyConfigured(
        f"NEWSBRIEF_CACHE_URL must be empty or a redis:// address, not {url.split(':')[0]}:"
    )


CACHES = {"default": cache_config(env["NEWSBRIEF_CACHE_URL"])}


def huey_config(cache_url: str, data_dir: Path) -> dict:
    """The task queue every piece of background work runs on (``newsbrief worker``): in Redis
    when the cache is (every app server and worker then shares one queue), else in a SQLite
    file in the data directory (the embedded default: one machine)."""
    common = {"name": env["NEWSBRIEF_CACHE_PREFIX"], "immediate": False, "utc": True}
    if cache_url:
        return {**common, "huey_class": "huey.RedisHuey", "url": cache_url}
    return {
        **common,
        "huey_class": "huey.SqliteHuey",
        "filename": str(data_dir / "tasks.sqlite3"),
    }


HUEY = huey_config(env["NEWSBRIEF_CACHE_URL"], DATA_DIR)
if HUEY["huey_class"] == "huey.SqliteHuey":
    # Every process opens the queue as the apps load (to queue tasks), before any command.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
# `newsbrief worker`: tasks at once; minutes between the looks for due digests.
NEWSBRIEF_WORKER_THREADS = env["NEWSBRIEF_WORKER_THREADS"]
NEWSBRIEF_DIGEST_INTERVAL = env["NEWSBRIEF_DIGEST_INTERVAL"]

# The reader's pages, rendered once and kept until a brief they show changes (pages/README.md):
# "files" (a directory a front server can serve; default), "cache" (CACHES, e.g. Redis shared
# by several app servers) or "off".
NEWSBRIEF_PAGES_STORE = env["NEWSBRIEF_PAGES_STORE"]
NEWSBRIEF_PAGES_PATH = env["NEWSBRIEF_PAGES_PATH"]
# `newsbrief serve`: worker processes (0: one per core, at least 2) and threads per worker.
NEWSBRIEF_WORKERS = env["NEWSBRIEF_WORKERS"]
NEWSBRIEF_THREADS = env["NEWSBRIEF_THREADS"]

# Pictures on briefs (pictures/): uploads are verified and stored under the data directory
# in several sizes, served at MEDIA_URL (by the app, or by nginx from the same directory).
MEDIA_ROOT = env["NEWSBRIEF_MEDIA_ROOT"]
MEDIA_URL = "/media/"
NEWSBRIEF_PICTURE_MAX_BYTES = env["NEWSBRIEF_PICTURE_MAX_BYTES"]
NEWSBRIEF_PICTURE_MAX_PIXELS = env["NEWSBRIEF_PICTURE_MAX_PIXELS"]

# Entities (entities/): proposals at least this sure are shown before an editor decides.
NEWSBRIEF_ENTITY_MIN_CONFIDENCE = env["NEWSBRIEF_ENTITY_MIN_CONFIDENCE"]
# The top entities of each kind a listing's facets show.
NEWSBRIEF_FACET_ENTITIES = env["NEWSBRIEF_FACET_ENTITIES"]

LOGIN_URL = "login"
# Every password check goes through the sign-in throttle (accounts/backends.py).
AUTHENTICATION_BACKENDS = ["newsbrief.accounts.backends.ThrottledModelBackend"]
LOGIN_REDIRECT_URL = LOGOUT_REDIRECT_URL = "briefs:index"
# Behind a proxy, the request header that carries the client's address (the sign-in
# throttle counts per address), e.g. HTTP_X_FORWARDED_FOR; unset: the socket's address.
NEWSBRIEF_CLIENT_IP_HEADER = env["NEWSBRIEF_CLIENT_IP_HEADER"]
# Request rates (accounts/rates.py): None is no limit.
NEWSBRIEF_THROTTLE_API_ANONYMOUS = env["NEWSBRIEF_THROTTLE_API_ANONYMOUS"]
NEWSBRIEF_THROTTLE_API_READ = env["NEWSBRIEF_THROTTLE_API_READ"]
NEWSBRIEF_THROTTLE_API_WRITE = env["NEWSBRIEF_THROTTLE_API_WRITE"]
NEWSBRIEF_THROTTLE_SEARCH = env["NEWSBRIEF_THROTTLE_SEARCH"]
NEWSBRIEF_THROTTLE_SUBSCRIBE = env["NEWSBRIEF_THROTTLE_SUBSCRIBE"]

# E-mail (password resets, later digests): SMTP from the environment; development prints
# messages on the console instead of sending them.
EMAIL_BACKEND = env["NEWSBRIEF_EMAIL_BACKEND"]
EMAIL_HOST = env["NEWSBRIEF_EMAIL_HOST"]
EMAIL_PORT = env["NEWSBRIEF_EMAIL_PORT"]
EMAIL_HOST_USER = env["NEWSBRIEF_EMAIL_USER"]
EMAIL_HOST_PASSWORD = env["NEWSBRIEF_EMAIL_PASSWORD"]
EMAIL_USE_TLS = env["NEWSBRIEF_EMAIL_TLS"]
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env["NEWSBRIEF_FROM_EMAIL"]
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Where the board is served, for links that leave the site (e-mail digests): scheme and host,
# no trailing slash.
NEWSBRIEF_BASE_URL = env["NEWSBRIEF_BASE_URL"]

NEWSBRIEF_PAGE_SIZE = env["NEWSBRIEF_PAGE_SIZE"]
# "tantivy" (embedded, on local disk) or "postgres" (in the database); empty: postgres when the
# database is PostgreSQL, else tantivy. The tantivy index lives in NEWSBRIEF_SEARCH_PATH.
NEWSBRIEF_SEARCH_BACKEND = env["NEWSBRIEF_SEARCH_BACKEND"]
NEWSBRIEF_SEARCH_PATH = env["NEWSBRIEF_SEARCH_PATH"]
# The PostgreSQL backend ranks at most this many matches of a query (the newest).
NEWSBRIEF_SEARCH_CANDIDATES = env["NEWSBRIEF_SEARCH_CANDIDATES"]
# ...and answers unranked, newest first, a query whose ranking takes longer than this.
NEWSBRIEF_SEARCH_TIMEOUT_MS = env["NEWSBRIEF_SEARCH_TIMEOUT_MS"]

# Related messages: rank with sentence embeddings (off: words, names, tags and dates only);
# how many proposals are stored as a brief's related messages when it is published; where the
# trained tag model and the evaluation's embedding cache are kept.
NEWSBRIEF_RELATED_EMBEDDINGS = env["NEWSBRIEF_RELATED_EMBEDDINGS"]
NEWSBRIEF_RELATED_ON_PUBLISH = env["NEWSBRIEF_RELATED_ON_PUBLISH"]
NEWSBRIEF_RELATED_PATH = env["NEWSBRIEF_RELATED_PATH"]

# Source ingestion (`newsbrief ingest`, and the worker): the limits on every fetch, and the
# account that authors the drafts it writes (created on demand, cannot sign in). See
# ingest/README.md.
NEWSBRIEF_INGEST_TIMEOUT = env["NEWSBRIEF_INGEST_TIMEOUT"]
NEWSBRIEF_INGEST_MAX_BYTES = env["NEWSBRIEF_INGEST_MAX_BYTES"]
NEWSBRIEF_INGEST_MAX_REDIRECTS = env["NEWSBRIEF_INGEST_MAX_REDIRECTS"]
NEWSBRIEF_INGEST_MAX_ENTRIES = env["NEWSBRIEF_INGEST_MAX_ENTRIES"]
NEWSBRIEF_INGEST_USER = env["NEWSBRIEF_INGEST_USER"]
NEWSBRIEF_INGEST_USER_AGENT = env["NEWSBRIEF_INGEST_USER_AGENT"]
# ...and the internal hosts or networks (or other ports) it may fetch, for intranet feeds.
NEWSBRIEF_INGEST_ALLOW = env["NEWSBRIEF_INGEST_ALLOW"]
# ...and how often the worker fetches each active source (minutes).
NEWSBRIEF_INGEST_INTERVAL = env["NEWSBRIEF_INGEST_INTERVAL"]

if not DEBUG:
    SESSION_COOKIE_SECURE = env["NEWSBRIEF_SECURE_COOKIES"]
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env["NEWSBRIEF_SSL_REDIRECT"]
    SECURE_HSTS_SECONDS = env["NEWSBRIEF_HSTS_SECONDS"]
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "newsbrief.accounts.views.csrf_failure"
NEWSBRIEF_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
NEWSBRIEF_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=()"

# Production logging: request errors (``django.request``: every 500 with its traceback;
# ``django.security``: refused hosts and other suspicious requests), failed mails and failed
# background tasks (``huey``) go to stderr, and to the admins by mail when there are any.
ADMINS = [(address, address) for address in env["NEWSBRIEF_ADMINS"]]
LOG_LEVEL = env["NEWSBRIEF_LOG_LEVEL"].upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "loggers": {
        "newsbrief": {"handlers": ["console", "mail_admins"], "level": LOG_LEVEL},
        "django.request": {"handlers": ["console", "mail_admins"], "level": "ERROR"},
        "django.security": {"handlers": ["console", "mail_admins"], "level": "WARNING"},
        # Django logs a password-reset mail it could not send here (the page still answers).
        "django.contrib.auth": {"handlers": ["console", "mail_admins"], "level": "ERROR"},
        "huey": {"handlers": ["console", "mail_admins"], "level": "INFO"},
    },
}
