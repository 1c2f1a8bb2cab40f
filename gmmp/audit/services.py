from .models import AccessLog


def access_log_record(
    *,
    user,
    action: str,
    object_type: str,
    object_id: str = "",
    channel: str = "web",
    detail: dict | None = None,
) -> AccessLog:
    org = getattr(user, "organisation", None) if user is not None and user.is_authenticated else None
    return AccessLog.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        organisation_code=org.code if org else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        channel=channel,
        detail=detail or {},
    )
