"""The coordinator sets the retention rule and confirms the removal of identities."""

from django.db import migrations

from district.grants import grant_permissions

# Written out, not imported from live code, so that this migration never changes meaning.
PERMISSIONS = {"Coordinator": ["incidents.view_retentionrule", "incidents.change_retentionrule"]}


def grant(apps, schema_editor):
    grant_permissions(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0006_retention")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
