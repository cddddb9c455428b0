"""Who opens and follows cases: SROs and coordinators work them; administrators read their schools'."""

from django.db import migrations

from district.grants import grant_permissions

# Written out, not imported from live code, so that this migration never changes meaning.
PERMISSIONS = {
    "Coordinator": [
        "incidents.view_case",
        "incidents.add_case",
        "incidents.change_case",
        "incidents.view_followup",
        "incidents.add_followup",
        "incidents.change_followup",
    ],
    "SRO": [
        "incidents.view_case",
        "incidents.add_case",
        "incidents.change_case",
        "incidents.view_followup",
        "incidents.add_followup",
        "incidents.change_followup",
    ],
    "Administrator": ["incidents.view_case", "incidents.view_followup"],
}


def grant(apps, schema_editor):
    grant_permissions(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0008_cases")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
