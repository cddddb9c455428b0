"""The roles' permissions on agreements, versions, sections, bright lines, goals, signatures,
acknowledgements, public comments, expectation meetings and their action items."""

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
    "SRO": [
        "agreements.view_agreement",
        "agreements.view_agreementversion",
        "agreements.view_brightline",
        "agreements.view_goal",
        "agreements.add_acknowledgement",
        "agreements.view_meeting",
        "agreements.view_actionitem",
    ],
    "Administrator": [
        "agreements.view_agreement",
        "agreements.view_agreementversion",
        "agreements.view_brightline",
        "agreements.view_goal",
        "agreements.add_acknowledgement",
        "agreements.add_signature",
        "agreements.view_meeting",
        "agreements.view_actionitem",
    ],
    "Agency supervisor": [
        "agreements.view_agreement",
        "agreements.view_agreementversion",
        "agreements.view_brightline",
        "agreements.view_goal",
        "agreements.add_signature",
        "agreements.view_meeting",
        "agreements.view_actionitem",
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
