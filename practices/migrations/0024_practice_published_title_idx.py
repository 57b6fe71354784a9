"""The published practices' titles by id, read index-only by the region page's transfers."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0023_first_public_at"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="goodpractice",
            index=models.Index(
                condition=models.Q(("publication_state", "published")),
                fields=["id"],
                include=("title",),
                name="practice_published_title_idx",
            ),
        ),
    ]
