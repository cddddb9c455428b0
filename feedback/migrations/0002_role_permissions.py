"""The roles' permissions on surveys, campaigns, rounds, results, actions and the complaints register."""

from django.db import migrations

from district.grants import grant_permissions

# Written out, not imported from live code, so that this migration never changes meaning.
PERMISSIONS = {
    "Coordinator": [
        "feedback.view_survey",
        "feedback.add_survey",
        "feedback.change_survey",
        "feedback.view_campaign",
        "feedback.add_campaign",
        "feedback.change_campaign",
        "feedback.view_round",
        "feedback.add_round",
        "feedback.view_improvementaction",
        "feedback.add_improvementaction",
        "feedback.change_improvementaction",
        "feedback.view_concern",
        "feedback.change_concern",
    ],
    "SRO": [
        "feedback.view_round",
        "feedback.add_round",
        "feedback.view_improvementaction",
        "feedback.add_improvementaction",
    ],
    "Agency supervisor": [
        "feedback.view_round",
        "feedback.view_improvementaction",
    ],
}


def grant(apps, schema_editor):
    grant_permissions(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0001_initial"),
        ("officers", "0002_role_permissions"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
