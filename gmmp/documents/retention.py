"""The laissez-passer's share of storage limitation (called by cases.retention through its hook)."""

from gmmp.audit.retention import access_log_forget_case_register_ids

from .models import HOLDER_FIELDS, LaissezPasser
from .photos import PHOTO_FILES


def lpc_personal_data_erase(*, case, stage: int) -> None:
    """Stage 1 (core data only): the photos go. Stage 2 (anonymous): the holder's identity goes too,
    and the seal with it: the signed payload printed as the QR code carries the name and the birth
    date, so it is cut (a finished journey needs no verification any more). The number, validity and
    status stay: they name nobody and the indicators count them."""
    documents = LaissezPasser.objects.filter(case=case)
    # After the commit: a rollback keeps the rows, and then their photos.
    PHOTO_FILES.delete_on_commit(documents.values_list("photo_storage_name", flat=True))
    documents.update(photo_storage_name="", photo_sha256="")
    if stage >= 2:
        # The access log's register searches for this case list national ids: they go too.
        access_log_forget_case_register_ids(reference=case.reference)
        documents.update(**dict.fromkeys(HOLDER_FIELDS, ""), seal="")
