"""Published practices counted for the insights page, kept by triggers (practices/tally.py)."""

from django.db import migrations, models

from practices import tally


class Migration(migrations.Migration):

    dependencies = [
        ('practices', '0024_practice_published_title_idx'),
    ]

    operations = [
        migrations.CreateModel(
            name='PracticeTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=8)),
                ('key', models.IntegerField()),
                ('year', models.IntegerField()),
                ('completeness', models.PositiveSmallIntegerField()),
                ('practices', models.IntegerField()),
            ],
            options={
                'default_permissions': (),
                'constraints': [models.UniqueConstraint(fields=('kind', 'key', 'year', 'completeness'), name='practice_tally_key')],
            },
        ),
        migrations.RunPython(tally.install, tally.uninstall),
    ]
