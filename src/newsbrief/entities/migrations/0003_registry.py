"""Every database starts with the shipped registry (``registry.sync``; ``newsbrief entities
sync`` applies a newer one)."""

from django.db import migrations


def load(apps, schema_editor):
    from newsbrief.entities import registry

    registry.sync(apps.get_model("entities", "Entity"), apps.get_model("entities", "Alias"))


class Migration(migrations.Migration):
    dependencies = [("entities", "0002_extracted")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=True)]
