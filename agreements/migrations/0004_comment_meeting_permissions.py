"""The roles' permissions on comments, expectation meetings and their action items."""

from django.db import migrations

from district.grants import grant_permissions

# Written out, not imported from live code, so that this migration never changes meaning.
PERMISSIONS = {
    "Coordinator": [
        "agreements.view_comment",
        "agreements.add_comment",
        "agreements.change_comment",
        "agreements.delete_comment",
        "agreements.view_meeting",
        "agreements.add_meeting",
        "agreements.change_meeting",
        "agreements.delete_meeting",
        "agreements.view_actionitem",
        "agreements.add_actionitem",
        "agreements.change_actionitem",
        "agreements.delete_actionitem",
    ],
    "SRO": ["agreements.view_meeting", "agreements.view_actionitem"],
    "Administrator": ["agreements.view_meeting", "agreements.view_actionitem"],
    "Agency supervisor": ["agreements.view_meeting", "agreements.view_actionitem"],
}


def grant(apps, schema_editor):
    grant_permissions(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("agreements", "0003_comments_and_meetings")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
