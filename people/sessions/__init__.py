"""The session engine: Django's cached_db engine, whose table also records the signed-in user.

Deactivating a person must end every session they have. Django already refuses an inactive
user's session on each request, but reactivating them would bring those sessions back; so the
sessions are deleted. Recording the user on each save (every request saves the session here)
follows key changes (sign-in, password change) that a record made once at sign-in would miss,
and finding one person's sessions is one indexed query. ``people.sessions.db`` is the same
without the cache (the tests use it, to change a session's expiry in the database).
"""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore


class RecordsUser:
    """Keep the signed-in user's id on the session's row."""

    @classmethod
    def get_model_class(cls):
        from people.models import UserSession

        return UserSession

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        try:
            instance.user_id = int(data.get(SESSION_KEY))
        except (TypeError, ValueError):
            instance.user_id = None
        return instance


class SessionStore(RecordsUser, CachedDBStore):
    pass


def sessions_end_for_user(*, user_id: int) -> int:
    """Delete every session of this user, from the cache and the database; return how many."""
    from people.models import UserSession

    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    keys = list(UserSession.objects.filter(user_id=user_id).values_list("session_key", flat=True))
    for key in keys:
        store_class(session_key=key).delete()
    return len(keys)
