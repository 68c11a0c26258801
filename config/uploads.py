"""Limits on what a request may carry, kept while it streams in and before anything is stored.

- A multipart body larger than `max_request_size()` (every attachment at its largest, and the
  form around them; nginx's `client_max_body_size` in the README is the same figure) is refused
  before a byte of it is read: 413.
- Any other body larger than DATA_UPLOAD_MAX_MEMORY_SIZE is refused unread too (Django's own
  check, which DRF's JSON parser would never reach: it reads the stream itself): 413.
- A file larger than ATTACHMENT_MAX_SIZE: its bytes past the limit are read and dropped, the
  temporary file that held the first ones is deleted at once, and the form gets a
  `TooLargeUpload` (no content, the size that was sent) in its place, so that the form's own
  check names the file and its size and the page keeps what was typed.
- Too many fields or files, or a body that cannot be read: 400 or 413, with a message.

`RequestLimitMiddleware` reads the body before any view (or the CSRF check) does, so that each
refusal is answered in the shape of the door it came through: a page, the API's JSON error
(api/errors.py) or an Open311 error.
"""

from __future__ import annotations

import io
import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import HttpRequest, HttpResponse, JsonResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

logger = logging.getLogger("django.security.request_limits")

# The doors whose errors have a shape of their own (config/urls.py).
API_PREFIX = "/api/"
OPEN311_PREFIX = "/open311/"


def max_request_size() -> int:
    """The largest multipart request: every attachment at its largest, plus the form's fields."""
    return (
        settings.ATTACHMENT_MAX_COUNT * settings.ATTACHMENT_MAX_SIZE
        + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    )


class TooLargeUpload(UploadedFile):
    """Stands for a file that was over ATTACHMENT_MAX_SIZE: its name and the size it had, none
    of its bytes. Every form that takes files checks the size first and refuses it."""

    def __init__(self, name, content_type, size, charset, content_type_extra) -> None:
        super().__init__(io.BytesIO(), name, content_type, size, charset, content_type_extra)


class LimitedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Django's temporary-file handler, which keeps no file past ATTACHMENT_MAX_SIZE and takes no
    request past `max_request_size()`. (Django's MemoryFileUploadHandler, before it, keeps the
    files of a request under FILE_UPLOAD_MAX_MEMORY_SIZE in memory; they are small already.)"""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > max_request_size():
            raise RequestDataTooBig("The multipart body is larger than max_request_size().")
        return super().handle_raw_input(input_data, META, content_length, boundary, encoding)

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.too_large = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if not self.too_large and start + len(raw_data) > settings.ATTACHMENT_MAX_SIZE:
            self.too_large = True
            self.file.close()  # a NamedTemporaryFile: closing it deletes it
        if self.too_large:
            return None  # read and dropped
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size: int) -> UploadedFile:
        if self.too_large:
            return TooLargeUpload(
                self.file_name, self.content_type, file_size, self.charset, self.content_type_extra
            )
        return super().file_complete(file_size)


class RequestLimitMiddleware:
    """Reads the request's body first, within the limits above, and answers a refusal itself."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.read_body(request) or self.get_response(request)

    def read_body(self, request: HttpRequest) -> HttpResponse | None:
        size = _content_length(request)
        if not size:
            return None
        multipart = request.content_type == "multipart/form-data"
        try:
            if not multipart:
                request.body  # noqa: B018 -- refused unread when over the limit
            if request.method == "POST":
                request.POST  # noqa: B018 -- multipart: through the upload handlers
        except RequestDataTooBig:
            return refuse(request, 413, "request_too_large", _too_large(size, multipart))
        except TooManyFilesSent:
            message = _("You can attach at most %(limit)d files. Nothing was saved.") % {
                "limit": settings.ATTACHMENT_MAX_COUNT
            }
            return refuse(request, 413, "too_many_files", message)
        except TooManyFieldsSent:
            message = _("This form sent more than %(limit)d fields. Nothing was saved.") % {
                "limit": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
            }
            return refuse(request, 400, "too_many_fields", message)
        except (MultiPartParserError, UnreadablePostError):
            message = _(
                "The submission could not be read. Nothing was saved; please send it again."
            )
            return refuse(request, 400, "unreadable", message)
        return None


def refuse(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    logger.warning(
        "Refused %s %s (%s bytes): %s", request.method, request.path, _content_length(request), code
    )
    path = request.path_info
    if path.startswith(API_PREFIX):
        # The API's shapes: 400 lists messages, every other status has a code and a detail.
        body = (
            {"non_field_errors": [message]} if status == 400 else {"code": code, "detail": message}
        )
        return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    if path.startswith(OPEN311_PREFIX):
        from open311 import formats

        return formats.error("json" if path.endswith(".json") else "xml", status, message)
    return render(request, "request_refused.html", {"message": message}, status=status)


def _too_large(size: int, multipart: bool) -> str:
    if multipart and size <= max_request_size():  # the files fit: the text fields did not
        return _("The text of this form is over %(limit)s. Nothing was saved.") % {
            "limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        }
    limit = max_request_size() if multipart else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    message = _("This submission is %(size)s; it may be at most %(limit)s. Nothing was saved.") % {
        "size": filesizeformat(size),
        "limit": filesizeformat(limit),
    }
    if multipart:
        message += " " + _("Attach at most %(count)d files of at most %(file_limit)s each.") % {
            "count": settings.ATTACHMENT_MAX_COUNT,
            "file_limit": filesizeformat(settings.ATTACHMENT_MAX_SIZE),
        }
    return message


def _content_length(request: HttpRequest) -> int:
    try:
        return max(int(request.headers.get("content-length") or 0), 0)
    except ValueError:
        return 0
