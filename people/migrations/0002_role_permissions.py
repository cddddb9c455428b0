"""Give coordinators the People section: invite people and change their roles, scope and access."""

from django.db import migrations

from district.roles import Role, grant

PERMISSIONS = {
    Role.COORDINATOR: [
        "people.manage_people",
        "people.view_invitation",
        "people.add_invitation",
        "people.change_invitation",
        "people.view_accesschange",
    ],
}


def grant_permissions(apps, schema_editor):
    grant(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        ("district", "0003_sro_does_not_browse_roster"),
    ]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
