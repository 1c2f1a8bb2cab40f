"""HTTP answers that the web pages and the API give alike."""

from collections.abc import Callable
from urllib.parse import quote

from django.http import HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header


def private_file(content, *, content_type: str, filename: str, inline: bool = False) -> HttpResponse:
    """A file that may hold personal data, for the caller alone: named (`attachment`, or `inline` to show it
    in the browser; a name outside ASCII is encoded, not sent raw) and kept by no cache on the way."""
    response = HttpResponse(content, content_type=content_type)
    disposition = content_disposition_header(as_attachment=not inline, filename=filename)
    assert disposition is not None  # Django answers None only when there is neither a name nor an attachment
    response["Content-Disposition"] = disposition
    response["Cache-Control"] = "private, no-store"
    return response


# What reverse() leaves unquoted in a path argument (django.urls.resolvers: RFC 3986 sub-delims and "/~:@").
_PATH_SAFE = "!$&'()*+,;=/~:@"
_MARKER = "GMMPARGUMENT"


def reverse_each(name: str, argument: str) -> Callable[[str], str]:
    """`reverse(name, kwargs={argument: value})` for many values, reversed once: a list of 50 rows makes
    50 links, and reverse() cost about as much as the rest of a row. Same result as reverse() for any
    value its converter accepts (tests/core/test_http.py)."""
    before, after = reverse(name, kwargs={argument: _MARKER}).split(_MARKER)
    return lambda value: before + quote(str(value), safe=_PATH_SAFE) + after
