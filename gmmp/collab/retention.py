"""The collaboration's share of storage limitation (called by cases.retention through its hook).
From the first stage on, message texts, their files, interview notes, escalation comments and
protection notes go: they are free text about the person. What remains names nobody."""

from gmmp.core import clock

from .files import attachment_delete
from .models import CaseMessage, Escalation, Interview, MessageAttachment, ProtectionEntry


def collab_personal_data_erase(*, case, stage: int) -> None:
    attachments = MessageAttachment.objects.filter(message__case=case)
    for name in attachments.values_list("storage_name", flat=True):
        attachment_delete(name)
    attachments.delete()
    CaseMessage.objects.filter(case=case, erased_at__isnull=True).update(body="", erased_at=clock.now())
    Interview.objects.filter(case=case).update(notes="", room="", video_link="")
    Escalation.objects.filter(case=case).update(comment="", answer="—")
    ProtectionEntry.objects.filter(case=case).update(notes="")
