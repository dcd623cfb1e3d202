from django.utils.functional import SimpleLazyObject

from .models import Board


class BoardMiddleware:
    """Puts the board this site serves on ``request.board`` (looked up only when used)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.board = SimpleLazyObject(Board.current)
        return self.get_response(request)
