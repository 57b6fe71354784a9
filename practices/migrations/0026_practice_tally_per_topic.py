"""The insights tally counted per topic too (practices/tally.py); the triggers reinstalled."""

from django.db import migrations, models

from practices import tally


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0025_practice_tally"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="practicetally", name="practice_tally_key"),
        migrations.AddField(
            model_name="practicetally",
            name="scope",
            field=models.IntegerField(default=0),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="practicetally",
            constraint=models.UniqueConstraint(
                fields=("scope", "kind", "key", "year", "completeness"),
                name="practice_tally_scope_key",
            ),
        ),
        # Not reversible: 0025's triggers would write rows without a scope.
        migrations.RunPython(tally.install),
    ]
