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


def case_file_download(request, case, item, read, *, object_type: str, name: str):
    """A file stored for a case (evidence, a message's attachment: `storage_name`, `content_type`), read with
    its store's `read`, its download logged against the case."""
    return logged_download(
        request,
        read(item.storage_name),
        content_type=item.content_type,
        filename=f"{name}-{item.pk}",
        object_type=object_type,
        object_id=str(item.pk),
        detail={"case": case.reference},
    )
