"""A page's file download: the read logged in `audit.AccessLog`, the file for this caller alone."""

from gmmp.audit.services import access_log_record
from gmmp.core.http import private_file


def logged_download(
    request,
    content,
    *,
    content_type: str,
    filename: str,
    object_type: str,
    object_id: str,
    detail: dict,
    inline: bool = False,
):
    access_log_record(
        user=request.user, action="download", object_type=object_type, object_id=object_id, detail=detail
    )
    return private_file(content, content_type=content_type, filename=filename, inline=inline)
