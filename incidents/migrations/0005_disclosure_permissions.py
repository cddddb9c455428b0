"""Who records and reads the disclosures register, and who exports interactions (coordinators)."""

from django.db import migrations

from district.grants import grant_permissions

# Written out, not imported from live code, so that this migration never changes meaning.
PERMISSIONS = {
    "Coordinator": ["incidents.view_disclosure", "incidents.add_disclosure", "incidents.export_interaction"],
    "SRO": ["incidents.add_disclosure"],
    "Administrator": ["incidents.view_disclosure"],
}


def grant(apps, schema_editor):
    grant_permissions(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0004_export_permission")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
