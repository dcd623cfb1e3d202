"""The audit log and drift checks now belong to ``briefs`` (its migration 0005 takes over
Django's state); the tables stay where they are."""

from django.db import migrations

MOVED = ["auditentry", "driftcheck"]


def move_content_types(apps, schema_editor):
    """Permissions (the site admins' view of the audit log) follow the models."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    old = ContentType.objects.filter(app_label="desk", model__in=MOVED)
    if old.exists():
        ContentType.objects.filter(app_label="briefs", model__in=MOVED).delete()
        old.update(app_label="briefs")


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="desk", model__in=MOVED).delete()
    ContentType.objects.filter(app_label="briefs", model__in=MOVED).update(app_label="desk")


class Migration(migrations.Migration):

    dependencies = [
        ("desk", "0002_roles"),
        ("briefs", "0005_audit_and_drift_from_desk"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="AuditEntry"),
                migrations.DeleteModel(name="DriftCheck"),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
