"""Django's accounts and passwords behind the sign-in throttle.

Being the backend, the throttle stands in front of every way in: ``/accounts/login/``, the
admin's sign-in, and anything else that calls ``authenticate``. A refused attempt raises
``PermissionDenied``, which makes ``authenticate`` answer None without trying the password;
the seconds to wait are left on the request for the sign-in form to show (``forms.py``).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from . import throttle


class ThrottledModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        address = throttle.client_address(request) if request is not None else ""
        wait = throttle.reserve(username, address)
        if wait:
            if request is not None:
                request.sign_in_retry_after = wait
            raise PermissionDenied
        user = super().authenticate(request, username, password, **kwargs)
        if user is not None:
            throttle.clear(username, address)
        return user
