"""When each practice first became public on the portal (``first_public_at``).

Backfilled from the history where it has one (the first record in the
published state, whatever ``published_at`` says), else from the publication
date of a practice that is or was public (bulk-loaded rows have no
history), else left empty: a draft never shown is stamped when published.
"""

from django.db import migrations, models
from django.db.models import Case, F, Min, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce


def backfill(apps, schema_editor):
    practices = apps.get_model("practices", "GoodPractice")
    history = apps.get_model("practices", "HistoricalGoodPractice")
    first_shown = (
        history.objects.filter(id=OuterRef("pk"), publication_state="published")
        .order_by()
        .values("id")
        .annotate(first=Min("history_date"))
        .values("first")
    )
    was_public = Q(publication_state__in=["published", "archived"])
    practices.objects.update(
        first_public_at=Coalesce(
            Subquery(first_shown),
            Case(When(was_public, then=Coalesce(F("published_at"), F("created_at")))),
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0022_saved_search_admin_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="goodpractice",
            name="first_public_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                null=True,
                verbose_name="first made public on the portal",
            ),
        ),
        migrations.AddField(
            model_name="historicalgoodpractice",
            name="first_public_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                null=True,
                verbose_name="first made public on the portal",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=False),
        migrations.AddIndex(
            model_name="goodpractice",
            index=models.Index(
                fields=["publication_state", "first_public_at"], name="practice_first_public_idx"
            ),
        ),
    ]
