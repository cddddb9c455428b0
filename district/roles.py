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

# The permissions each role's group holds, as "app_label.codename". Apps that come later add
# theirs in their own data migrations with ``grant``.
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.COORDINATOR: [
        "district.view_school",
        "district.view_academicyear",
        "district.view_student",
        "district.view_staff",
        "district.view_guardian",
        "district.view_rosterimport",
        "district.add_rosterimport",
        "district.view_accesslog",
    ],
    # An SRO reaches students through their own logs (incidents), never by browsing the roster.
    Role.SRO: [
        "district.view_school",
    ],
    Role.ADMINISTRATOR: [
        "district.view_school",
        "district.view_academicyear",
        "district.view_student",
        "district.view_staff",
    ],
    Role.AGENCY_SUPERVISOR: [
        "district.view_school",
    ],
}


def grant(apps, role_permissions: dict[Role, list[str]]) -> None:
    """Give each role's group the named permissions; for use inside data migrations."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, names in role_permissions.items():
        group, _ = Group.objects.get_or_create(name=role.label)
        for name in names:
            app_label, codename = name.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
