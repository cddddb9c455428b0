"""Factories for the incidents app: interactions are logged through the service, as officers do."""

from __future__ import annotations

import datetime
import uuid

from django.utils import timezone

from incidents.models import Category, Initiator, OfficerRole
from incidents.services.interactions import StudentEntry, interaction_create


def category(name: str = "Conflict mediation") -> Category:
    return Category.objects.get(name=name)


def log(*, author, school, students=(), when=None, **overrides):
    """An interaction logged by ``author`` (an SRO with an officer record) through the service."""
    kwargs = {
        "author": author,
        "key": uuid.uuid4(),
        "school": school,
        "occurred_at": when or timezone.now() - datetime.timedelta(minutes=30),
        "officer_role": OfficerRole.MENTOR,
        "category": category(),
        "initiator": Initiator.STUDENT,
        "duration_minutes": 15,
        "students": [
            s if isinstance(s, StudentEntry) else StudentEntry(student=s, outcome="resolved", action="none")
            for s in students
        ],
        "narrative": "Talked it through in the hallway.",
    }
    kwargs.update(overrides)
    interaction, _ = interaction_create(**kwargs)
    return interaction
