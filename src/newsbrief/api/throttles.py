"""The API's request rates (``accounts/rates.py``), for every operation: without a token, per
client address; with one, per token, reads (GET, HEAD) and writes counted apart, writes more
strictly. A refused request answers 429 with ``Retry-After``, in the API's error body."""

from newsbrief.accounts.rates import Rate

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def _signed_in(request) -> bool:
    return getattr(getattr(request, "auth", None), "is_authenticated", False)


class Anonymous(Rate):
    def ident(self, request):
        return None if _signed_in(request) else super().ident(request)


class PerToken(Rate):
    def __init__(self, setting: str, *, writes: bool):
        super().__init__(setting)
        self.writes = writes

    def ident(self, request):
        if not _signed_in(request) or (request.method not in SAFE_METHODS) != self.writes:
            return None
        # The token itself (hashed into the key), as TokenAuth read it.
        return request.headers["Authorization"].partition(" ")[2].strip()


THROTTLES = [
    Anonymous("NEWSBRIEF_THROTTLE_API_ANONYMOUS"),
    PerToken("NEWSBRIEF_THROTTLE_API_READ", writes=False),
    PerToken("NEWSBRIEF_THROTTLE_API_WRITE", writes=True),
]
