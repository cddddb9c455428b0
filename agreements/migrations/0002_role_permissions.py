"""The roles' permissions on agreements, versions, sections, bright lines, goals, signatures and
acknowledgements."""

from django.db import migrations

from district.grants import grant_permissions

# Written out, not imported from live code, so that this migration never changes meaning.
PERMISSIONS = {
    "Coordinator": [
        "agreements.view_agreement",
        "agreements.add_agreement",
        "agreements.change_agreement",
        "agreements.delete_agreement",
        "agreements.view_agreementversion",
        "agreements.add_agreementversion",
        "agreements.change_agreementversion",
        "agreements.delete_agreementversion",
        "agreements.view_section",
        "agreements.add_section",
        "agreements.change_section",
        "agreements.delete_section",
        "agreements.view_brightline",
        "agreements.add_brightline",
        "agreements.change_brightline",
        "agreements.delete_brightline",
        "agreements.view_goal",
        "agreements.add_goal",
        "agreements.change_goal",
        "agreements.delete_goal",
        "agreements.view_signature",
        "agreements.view_acknowledgement",
    ],
    "SRO": [
        "agreements.view_agreement",
        "agreements.view_agreementversion",
        "agreements.view_brightline",
        "agreements.view_goal",
        "agreements.add_acknowledgement",
    ],
    "Administrator": [
        "agreements.view_agreement",
        "agreements.view_agreementversion",
        "agreements.view_brightline",
        "agreements.view_goal",
        "agreements.add_acknowledgement",
        "agreements.add_signature",
    ],
    "Agency supervisor": [
        "agreements.view_agreement",
        "agreements.view_agreementversion",
        "agreements.view_brightline",
        "agreements.view_goal",
        "agreements.add_signature",
    ],
}


def grant(apps, schema_editor):
    grant_permissions(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0001_initial"),
        ("officers", "0002_role_permissions"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
