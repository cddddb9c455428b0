"""Incident reports: the roles' permissions, and the default incident types after New York's School
Safety and Educational Climate (SSEC) categories, with their sub-categories."""

from django.db import migrations

from district.grants import grant_permissions

# Written out, not imported from live code, so that this migration never changes meaning.
PERMISSIONS = {
    "Coordinator": [
        "incidents.view_incident",
        "incidents.view_incidenttype",
        "incidents.add_incidenttype",
        "incidents.change_incidenttype",
    ],
    "SRO": ["incidents.view_incident", "incidents.add_incident", "incidents.change_incident"],
    "Administrator": ["incidents.view_incident"],
}

TYPES = [
    ("Homicide", []),
    ("Sexual offenses", ["Forcible sex offenses", "Other sex offenses"]),
    ("Robbery", []),
    ("Assault with serious physical injury", []),
    ("Arson", []),
    ("Kidnapping", []),
    ("Assault with physical injury", []),
    ("Reckless endangerment", []),
    ("Minor altercations", []),
    ("Larceny or other theft offenses", []),
    ("Bomb threat", []),
    ("False alarm", []),
    ("Riot", []),
    ("Weapons possession", ["Firearm", "Other weapon"]),
    ("Use, possession or sale of drugs", []),
    ("Use, possession or sale of alcohol", []),
    ("Intimidation, harassment, menacing or bullying", []),
    ("Criminal mischief", []),
    ("Other disruptive incidents", []),
]


def seed(apps, schema_editor):
    grant_permissions(apps, PERMISSIONS)
    IncidentType = apps.get_model("incidents", "IncidentType")
    for position, (name, subtypes) in enumerate(TYPES, start=1):
        parent, _ = IncidentType.objects.get_or_create(
            name=name, parent=None, defaults={"position": position * 10}
        )
        for sub_position, sub in enumerate(subtypes, start=1):
            IncidentType.objects.get_or_create(name=sub, parent=parent, defaults={"position": sub_position})


class Migration(migrations.Migration):
    dependencies = [("incidents", "0011_incidents")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
