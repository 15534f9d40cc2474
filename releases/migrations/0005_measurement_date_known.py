from __future__ import annotations

from django.db import migrations, models

from releases.db_triggers import install_bound_triggers, remove_bound_triggers


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0004_snapshot_change_record"),
    ]

    # SQLite adds a column by rebuilding the table, which the bounds triggers on it would not
    # survive: they are dropped first and installed again after.
    operations = [
        migrations.RunPython(remove_bound_triggers, install_bound_triggers),
        migrations.AddField(
            model_name="measurement",
            name="as_of_known",
            field=models.BooleanField(
                db_default=True,
                default=True,
                help_text="False when the evaluator gave no date, or a placeholder shared by many rows: the as-of date then only bounds when it was published and is never shown as its date.",
            ),
        ),
        migrations.AlterField(
            model_name="measurement",
            name="as_of",
            field=models.DateField(
                help_text="The evaluator's date (when it ran or published the figure). Where the source gives none, the date the figure is known to have been published by (the copy's date)."
            ),
        ),
        migrations.RunPython(install_bound_triggers, remove_bound_triggers),
    ]
