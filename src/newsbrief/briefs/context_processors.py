from django.utils.translation import get_language
from django.utils.translation import gettext as _


def board_words(board, language: str) -> dict[str, str]:
    """The board's name, tagline and footer in ``language`` (the caller's active one for the
    default name): one place for pages and mails, so a site with no board yet still has a name."""
    if not board:
        return {"board_name": _("Sci-Tech Newsbrief"), "board_tagline": "", "board_footer": ""}
    return {
        "board_name": board.name_for(language),
        "board_tagline": board.tagline_for(language),
        "board_footer": board.footer_for(language),
    }


def board(request):
    board = getattr(request, "board", None)
    return {"board": board, **board_words(board, get_language())}
