"""One error body for every failure the API answers:

``{"error": {"code": "not_found", "message": "...", "fields": {"title": ["..."]}}}``

``fields`` names the request fields at fault (empty when the fault is not one field's);
a revision conflict (409) also says which revision the brief is at, to base a retry on, and a
throttled request (429) how many seconds to wait, as its ``Retry-After`` header does.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Schema
from ninja.errors import HttpError, Throttled, ValidationError

from newsbrief.briefs.errors import (
    ActionRefused,
    InvalidContent,
    NotAllowed,
    RevisionConflict,
    WrongState,
)

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "throttled",
}
#: Where a parameter can be, as ninja names the first part of an error's location.
_LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]
    current_revision: int | None = None
    retry_after: int | None = None


class ErrorBody(Schema):
    error: ErrorDetail


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        fields: dict[str, list[str]] | None = None,
        current_revision: int | None = None,
        retry_after: int | None = None,
    ):
        super().__init__(message)
        self.status, self.message = status, message
        self.code = code or CODES.get(status, "error")
        self.fields = fields or {}
        self.current_revision = current_revision
        self.retry_after = retry_after


def responses(*statuses: int) -> dict[int, type[ErrorBody]]:
    """The error responses an operation declares, for its OpenAPI schema (every operation
    may be throttled: 429)."""
    return dict.fromkeys((*statuses, 429), ErrorBody)


def error_response(status: int, message: str) -> JsonResponse:
    """The error body for a refusal made before the API's views (a middleware's)."""
    detail = {"code": CODES.get(status, "error"), "message": message, "fields": {}}
    return JsonResponse({"error": detail}, status=status)


def install(api) -> None:
    """Route every failure through ``ApiError``'s body."""

    def render(request: HttpRequest, error: ApiError) -> HttpResponse:
        detail = {"code": error.code, "message": error.message, "fields": error.fields}
        if error.current_revision is not None:
            detail["current_revision"] = error.current_revision
        if error.retry_after is not None:
            detail["retry_after"] = error.retry_after
        response = api.create_response(request, {"error": detail}, status=error.status)
        if error.status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="newsbrief"'
        return response

    @api.exception_handler(ApiError)
    def api_error(request, exc):
        return render(request, exc)

    @api.exception_handler(ActionRefused)
    def refused(request, exc):
        return render(request, refusal(exc))

    @api.exception_handler(Throttled)
    def throttled(request, exc):
        # ninja sets Retry-After from the same wait once this returns.
        seconds = math.ceil(exc.wait or 1)
        message = ngettext(
            "Too many requests. Try again in %(seconds)d second.",
            "Too many requests. Try again in %(seconds)d seconds.",
            seconds,
        ) % {"seconds": seconds}
        return render(request, ApiError(429, message, retry_after=seconds))

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return render(request, ApiError(exc.status_code, _http_message(exc)))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return render(request, ApiError(404, _("Not found.")))

    @api.exception_handler(RequestDataTooBig)
    def too_large(request, exc):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        message = _("The request body is over %(limit)s bytes.") % {"limit": limit}
        return render(request, ApiError(413, message))

    @api.exception_handler(ValidationError)
    def invalid(request, exc):
        fields: dict[str, list[str]] = {}
        for error in exc.errors:
            fields.setdefault(_field_name(error.get("loc", ())), []).append(str(error["msg"]))
        return render(request, ApiError(422, _("The request is not valid."), fields=fields))


def _http_message(exc: HttpError) -> str:
    if exc.status_code == 401:
        return _("Send a valid API token: Authorization: Bearer <token>.")
    if exc.status_code == 400:
        return _("The request body is not valid JSON.")
    return str(exc)


def _field_name(loc) -> str:
    """``("body", "payload", "links", 0, "url")`` -> ``links.0.url``; the location and the
    body's own name are left out, so a field reads as the client sent it."""
    parts = list(loc)
    if parts and parts[0] in _LOCATIONS:
        location = parts.pop(0)
        if location == "body" and len(parts) > 1:
            parts.pop(0)
    return ".".join(map(str, parts)) or "__all__"


#: Where a field that ``BriefContent`` names is in the API's request body.
_REQUEST_FIELDS = {
    "source_name": "source.name",
    "source_date": "source.date",
    "version": "version_of",
}


def refusal(exc: ActionRefused) -> ApiError:
    """An action's refusal as the API answers it: 403 for the role, 409 for the state and
    for a conflicting revision, 422 for the content (its fields named as the request has them)."""
    if isinstance(exc, NotAllowed):
        return ApiError(403, exc.message)
    if isinstance(exc, RevisionConflict):
        return ApiError(
            409,
            _("The brief was saved by someone else since the revision the edit started from."),
            code="revision_conflict",
            current_revision=exc.latest.number,
        )
    if isinstance(exc, WrongState):
        return ApiError(409, exc.message, code="wrong_status")
    if isinstance(exc, InvalidContent):
        fields = {
            _REQUEST_FIELDS.get(field, field): problems for field, problems in exc.fields.items()
        }
        return ApiError(422, exc.message, code="invalid_content", fields=fields)
    return ApiError(400, exc.message)
