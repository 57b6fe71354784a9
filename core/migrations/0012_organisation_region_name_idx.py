"""A region page's first organisations by name, read from one index."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0011_misspelt_translated_names"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(
                fields=["region", "name", "id"], name="organisation_region_name_idx"
            ),
        ),
    ]
