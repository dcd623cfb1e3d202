"""Response headers that the browser enforces on every page.

The Content-Security-Policy allows scripts, styles and images from the site itself only:
no inline script or style, no plug-ins, no framing, forms that post only back here. So even
markup that slipped past the sanitizer could not run a script. Django 5.2 has no CSP of its
own (6.0 does); the policy comes from ``NEWSBRIEF_CSP`` in settings.
"""

from django.conf import settings


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = "; ".join(
            " ".join([directive, *sources]) for directive, sources in settings.NEWSBRIEF_CSP.items()
        )
        self.permissions = settings.NEWSBRIEF_PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", self.permissions)
        return response
