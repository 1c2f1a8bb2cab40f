"""HTTP answers that the web pages and the API give alike."""

from django.http import HttpResponse
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
