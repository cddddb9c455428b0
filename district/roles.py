"""The four roles. Each is a Django group (created by a migration) holding the role's permissions."""

from django.db import models


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Coordinator"
    SRO = "sro", "SRO"
    ADMINISTRATOR = "administrator", "Administrator"
    AGENCY_SUPERVISOR = "agency_supervisor", "Agency supervisor"

    @property
    def group_name(self) -> str:
        return self.label


# Roles that see student names: they must sign in with a second factor.
SECOND_FACTOR_ROLES = frozenset({Role.COORDINATOR, Role.SRO, Role.ADMINISTRATOR})

GROUP_TO_ROLE = {role.label: role for role in Role}
