"""Settings for the test suite: the product's own, with a throwaway key and fast hashing."""

import os

os.environ.setdefault("NEWSBRIEF_SECRET_KEY", "insecure-key-for-tests-only")

# Under pytest-xdist (make test runs workers), each worker gets a test database of its own
# (pytest-django suffixes its name with the worker id, and the digest's lock file beside a
# SQLite database follows the name) and, here, cache keys of its own: clearing the page store
# (every test does) bumps a generation under the prefix, which must not reach another worker.
# Set in the environment, so the processes a test starts share their worker's prefix.
if worker := os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ["NEWSBRIEF_CACHE_PREFIX"] = (
        f"{os.environ.get('NEWSBRIEF_CACHE_PREFIX', 'newsbrief')}-{worker}"
    )

from newsbrief.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
# The live server speaks plain HTTP on loopback, where Chromium accepts Secure cookies.
SECURE_PROXY_SSL_HEADER = None

# The SQLite test database is a file in WAL mode, as in production, not Django's default
# shared-cache memory database, whose table locks fail at once instead of queueing writers.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATA_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(DATA_DIR / "test-suite.sqlite3")  # noqa: F405
    }

# Tasks run where they are queued, in the test's own process and transaction; the tests of the
# worker itself start a real consumer on a queue of their own.
HUEY = {**HUEY, "immediate": True}  # noqa: F405

# Ranking without the embedding model unless a test turns it on: loading it costs a second.
NEWSBRIEF_RELATED_EMBEDDINGS = False

# Static files straight from the package (no collectstatic before the suite); the manifest
# storage `serve` uses is tested on its own.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True

# Request rates no test reaches by accident; the throttle tests set low ones of their own.
NEWSBRIEF_THROTTLE_API_ANONYMOUS = NEWSBRIEF_THROTTLE_API_READ = "100000/min"
NEWSBRIEF_THROTTLE_API_WRITE = NEWSBRIEF_THROTTLE_SEARCH = "100000/min"
NEWSBRIEF_THROTTLE_SUBSCRIBE = "100000/min"
