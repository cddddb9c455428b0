"""The roles' permissions on the officers' logs, and the defaults a district starts with: the
interaction categories the issue lists (the coordinator adds more) and the incident types after New
York's School Safety and Educational Climate (SSEC) categories, with their sub-categories."""

from django.db import migrations

from district.grants import grant_permissions

# Written out, not imported from live code, so that this migration never changes meaning.
PERMISSIONS = {
    "Coordinator": [
        "incidents.view_category",
        "incidents.add_category",
        "incidents.change_category",
        "incidents.view_interaction",
        "incidents.view_addendum",
        "incidents.view_disclosure",
        "incidents.add_disclosure",
        "incidents.export_interaction",
        "incidents.view_retentionrule",
        "incidents.change_retentionrule",
        "incidents.view_case",
        "incidents.add_case",
        "incidents.change_case",
        "incidents.view_followup",
        "incidents.add_followup",
        "incidents.change_followup",
        "incidents.view_incident",
        "incidents.view_incidenttype",
        "incidents.add_incidenttype",
        "incidents.change_incidenttype",
    ],
    "SRO": [
        "incidents.view_category",
        "incidents.view_interaction",
        "incidents.add_interaction",
        "incidents.change_interaction",
        "incidents.view_addendum",
        "incidents.add_addendum",
        "incidents.add_disclosure",
        "incidents.view_case",
        "incidents.add_case",
        "incidents.change_case",
        "incidents.view_followup",
        "incidents.add_followup",
        "incidents.change_followup",
        "incidents.view_incident",
        "incidents.add_incident",
        "incidents.change_incident",
    ],
    "Administrator": [
        "incidents.view_interaction",
        "incidents.view_addendum",
        "incidents.view_disclosure",
        "incidents.view_case",
        "incidents.view_followup",
        "incidents.view_incident",
    ],
}

CATEGORIES = [
    "Relationship building and mentoring",
    "Family dynamics",
    "Attendance",
    "Conflict mediation",
    "Bullying or harassment",
    "Mental health and wellness",
    "Substance use",
    "Threat assessment",
    "Safety and security check",
    "Classroom presentation",
    "Guardian contact",
    "Staff consultation",
    "Community event",
    "Criminal matter",
]

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
    Category = apps.get_model("incidents", "Category")
    for position, name in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(name=name, defaults={"position": position * 10})
    IncidentType = apps.get_model("incidents", "IncidentType")
    for position, (name, subtypes) in enumerate(TYPES, start=1):
        parent, _ = IncidentType.objects.get_or_create(
            name=name, parent=None, defaults={"position": position * 10}
        )
        for sub_position, sub in enumerate(subtypes, start=1):
            IncidentType.objects.get_or_create(name=sub, parent=parent, defaults={"position": sub_position})


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0001_initial"),
        ("officers", "0002_role_permissions"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
