"""A user's own settings: the language of the pages and e-mails, the time zone times are shown in."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from gmmp.core.errors import Refused

from .models import TimeZone, User

logger = logging.getLogger("gmmp.audit")


@transaction.atomic
def user_preferences_set(*, user: User, language: str, time_zone: str) -> User:
    """`language`: one of the platform's languages (blank: the browser's); `time_zone`: one of
    `TimeZone` (blank: the organisation's)."""
    if language and language not in {code for code, _name in settings.LANGUAGES}:
        raise Refused(_("Cette langue n'est pas proposée par la plateforme."), code="unknown_language")
    if time_zone and time_zone not in TimeZone.values:
        raise Refused(_("Ce fuseau horaire n'est pas proposé par la plateforme."), code="unknown_time_zone")
    locked = User.objects.select_for_update().get(pk=user.pk)
    locked.preferred_language, locked.time_zone = language, time_zone
    locked.save(update_fields=["preferred_language", "time_zone"])
    user.preferred_language, user.time_zone = language, time_zone
    # Who changed their own settings, never to what person it relates: no personal data in logs.
    logger.info("preferences changed: user %s, language %r, time zone %r", user.pk, language, time_zone)
    return locked
