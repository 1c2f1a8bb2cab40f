"""The authentication backend: Django's ModelBackend, loading a session's user with their organisation.

Every page reads the organisation (time zone, menu, visibility rules): loaded apart, it was a second query
on every request (bench/RESULTS.md, "Load, fifth pass")."""

from django.contrib.auth.backends import ModelBackend

from .models import User


class UserWithOrganisationBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("organisation").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
