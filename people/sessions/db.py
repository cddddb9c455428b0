"""``people.sessions`` without the cache: every read goes to the database."""

from django.contrib.sessions.backends.db import SessionStore as DBStore

from people.sessions import RecordsUser


class SessionStore(RecordsUser, DBStore):
    pass
