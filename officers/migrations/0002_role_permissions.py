"""Give the roles their permissions on officers, agencies and assignments."""

from django.db import migrations

from district.roles import Role, grant

PERMISSIONS = {
    Role.COORDINATOR: [
        f"officers.{action}_{model}"
        for model in ("agency", "officer", "assignment")
        for action in ("view", "add", "change", "delete")
    ],
    Role.SRO: ["officers.view_officer", "officers.view_assignment"],
    Role.ADMINISTRATOR: ["officers.view_officer", "officers.view_assignment", "officers.view_agency"],
    Role.AGENCY_SUPERVISOR: [
        "officers.view_officer",
        "officers.change_officer",
        "officers.view_assignment",
        "officers.view_agency",
    ],
}


def grant_permissions(apps, schema_editor):
    grant(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("officers", "0001_initial"), ("district", "0002_roles")]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
