def board(request):
    return {"board": getattr(request, "board", None)}
