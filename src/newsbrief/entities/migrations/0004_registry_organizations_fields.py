"""The registry's second edition reaches databases made with the first: about 400 more
organizations, more field names in both scripts (``registry.sync`` only adds: names and
aliases editors changed stay as they are)."""

from django.db import migrations


def load(apps, schema_editor):
    from newsbrief.entities import registry

    registry.sync(apps.get_model("entities", "Entity"), apps.get_model("entities", "Alias"))


class Migration(migrations.Migration):
    dependencies = [("entities", "0003_registry")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=True)]
