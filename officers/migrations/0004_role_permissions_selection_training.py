"""Give the roles their permissions on selection, training and schedules."""

from django.db import migrations

from district.roles import Role, grant

MODELS = [
    "officerleave",
    "selectioncycle",
    "fitcriterion",
    "candidate",
    "panelist",
    "scorecard",
    "score",
    "trainingcourse",
    "trainingpolicy",
    "trainingsession",
    "sessionparticipant",
    "trainingrecord",
    "assignmentday",
]

PERMISSIONS = {
    Role.COORDINATOR: [
        f"officers.{action}_{model}" for model in MODELS for action in ("view", "add", "change", "delete")
    ],
    # An SRO sees their own training and schedule and uploads their own certificates.
    Role.SRO: [
        "officers.view_trainingrecord",
        "officers.add_trainingrecord",
        "officers.view_trainingcourse",
        "officers.view_trainingsession",
        "officers.view_assignmentday",
    ],
    Role.ADMINISTRATOR: [
        "officers.view_trainingrecord",
        "officers.view_trainingcourse",
        "officers.view_trainingsession",
        "officers.view_assignmentday",
        "officers.view_officerleave",
    ],
    # The agency nominates candidates and sees its officers' training and schedules.
    Role.AGENCY_SUPERVISOR: [
        "officers.view_selectioncycle",
        "officers.view_candidate",
        "officers.add_candidate",
        "officers.change_candidate",
        "officers.view_trainingrecord",
        "officers.add_trainingrecord",
        "officers.view_trainingcourse",
        "officers.view_trainingsession",
        "officers.view_assignmentday",
        "officers.view_officerleave",
        "officers.add_officerleave",
        "officers.change_officerleave",
    ],
}


def grant_permissions(apps, schema_editor):
    grant(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("officers", "0003_selection_training_schedule")]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
