from django.shortcuts import get_object_or_404

from .models import Notification


def notifications_for_user(*, user, unread_only: bool = False):
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-pk")


def unread_count(*, user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_get_for_user(*, user, pk: int) -> Notification:
    """404 for a missing notification and for someone else's alike."""
    return get_object_or_404(Notification, pk=pk, recipient=user)
