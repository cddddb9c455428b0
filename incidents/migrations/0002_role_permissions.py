"""The roles' permissions on interactions, their addenda and the categories; agency supervisors get
none: they see counts, never the records that name students."""

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
    ],
    "SRO": [
        "incidents.view_category",
        "incidents.view_interaction",
        "incidents.add_interaction",
        "incidents.change_interaction",
        "incidents.view_addendum",
        "incidents.add_addendum",
    ],
    "Administrator": [
        "incidents.view_interaction",
        "incidents.view_addendum",
    ],
}

# The default list; the coordinator adds more.
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


def grant(apps, schema_editor):
    grant_permissions(apps, PERMISSIONS)
    Category = apps.get_model("incidents", "Category")
    for position, name in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(name=name, defaults={"position": position * 10})


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0001_initial"),
        ("officers", "0002_role_permissions"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
