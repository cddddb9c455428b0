"""Give coordinators the People section: invite people and change their roles, scope and access."""

from django.db import migrations

from district.grants import grant_permissions

# Written out, not imported from live code, so that this migration never changes meaning.
PERMISSIONS = {
    "Coordinator": [
        "people.manage_people",
        "people.view_invitation",
        "people.add_invitation",
        "people.change_invitation",
        "people.view_accesschange",
    ],
}


def grant(apps, schema_editor):
    grant_permissions(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        ("district", "0002_role_permissions"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
