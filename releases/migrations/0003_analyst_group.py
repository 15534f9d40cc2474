from __future__ import annotations

from django.db import migrations

from releases.permissions import remove_analyst_group, sync_analyst_group


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0002_value_bounds_triggers"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(sync_analyst_group, remove_analyst_group)]
