"""An SRO reaches students through their own logs, never by browsing the roster."""

from django.db import migrations


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="SRO").first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="district", codename="view_student")
        )


class Migration(migrations.Migration):
    dependencies = [("district", "0002_roles")]

    operations = [migrations.RunPython(revoke, migrations.RunPython.noop)]
