"""Settings for the test suite: the product's own, with a throwaway key and fast hashing."""

import os

os.environ.setdefault("NEWSBRIEF_SECRET_KEY", "insecure-key-for-tests-only")

from newsbrief.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
# The live server speaks plain HTTP on loopback, where Chromium accepts Secure cookies.
SECURE_PROXY_SSL_HEADER = None
