"""The four role groups and the district permissions each holds. An SRO reaches students through
their own logs, never by browsing the roster; an agency supervisor sees no student record."""

from django.db import migrations

from district.grants import grant_permissions

# Written out, not imported from live code, so that this migration never changes meaning.
PERMISSIONS = {
    "Coordinator": [
        "district.view_school",
        "district.view_academicyear",
        "district.view_student",
        "district.view_staff",
        "district.view_guardian",
        "district.view_rosterimport",
        "district.add_rosterimport",
        "district.view_accesslog",
    ],
    "SRO": [
        "district.view_school",
    ],
    "Administrator": [
        "district.view_school",
        "district.view_academicyear",
        "district.view_student",
        "district.view_staff",
    ],
    "Agency supervisor": [
        "district.view_school",
    ],
}


def grant(apps, schema_editor):
    grant_permissions(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("district", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
