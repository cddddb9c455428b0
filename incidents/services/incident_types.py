"""The coordinator's list of incident types (New York's SSEC categories by default): added, renamed,
reordered, retired, each a type of its own or a sub-category of one."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from incidents.models import IncidentType


def incident_type_save(
    *,
    incident_type: IncidentType | None = None,
    name: str,
    parent: IncidentType | None,
    position: int,
    active: bool,
) -> IncidentType:
    """Add a type or change one. Two levels only: a sub-category's parent is a type of its own, and
    a type with sub-categories stays one. A retired type stays on the reports that used it."""
    name = " ".join(name.split())
    errors = {}
    if not name:
        errors["name"] = "Give the type a name."
    if parent is not None:
        if parent.parent_id is not None:
            errors["parent"] = "A sub-category belongs to a type of its own, not to another sub-category."
        elif incident_type is not None and parent.pk == incident_type.pk:
            errors["parent"] = "A type cannot be its own sub-category."
        elif incident_type is not None and incident_type.pk and incident_type.subtypes.exists():
            errors["parent"] = "This type has sub-categories: it stays a type of its own."
    if errors:
        raise ValidationError(errors)
    incident_type = incident_type or IncidentType()
    incident_type.name, incident_type.parent, incident_type.position, incident_type.active = (
        name,
        parent,
        position,
        active,
    )
    try:
        with transaction.atomic():
            incident_type.save()
    except IntegrityError:
        where = f"under {parent.name}" if parent else "among the types of their own"
        raise ValidationError({"name": f"There is already a type with this name {where}."}) from None
    return incident_type
