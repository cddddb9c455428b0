"""Indexes only: an SRO's own list counts its rows and finds its filters' officers and schools from
the author index alone (with the officer and school included), at a million interactions."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0005_incident_type_names"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="interaction",
            index=models.Index(
                fields=["author", "-occurred_at"],
                include=("officer", "school"),
                name="interaction_author_scope",
            ),
        ),
        migrations.RemoveIndex(model_name="interaction", name="interaction_author_time"),
    ]
