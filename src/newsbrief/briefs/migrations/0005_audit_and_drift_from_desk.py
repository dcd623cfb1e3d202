"""The audit log and drift checks move from ``desk`` to ``briefs``, whose actions layer
writes them. Only Django's state moves: the tables keep their names (``desk_*``)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

ACTIONS = [
    ("create", "created"),
    ("edit", "edited"),
    ("submit", "submitted for review"),
    ("publish", "published"),
    ("unpublish", "unpublished"),
    ("restore", "restored a revision"),
    ("delete", "deleted"),
    ("link-version", "linked the other-language version"),
    ("unlink-version", "unlinked the other-language version"),
    ("confirm-drift", "confirmed as up to date"),
    ("tag-added", "tag added"),
    ("tag-removed", "tag removed"),
    ("curate", "curated related messages"),
    ("role-added", "role granted"),
    ("role-removed", "role removed"),
]


class Migration(migrations.Migration):

    dependencies = [
        ("briefs", "0004_listing_by_language"),
        ("desk", "0002_roles"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEntry",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="when")),
                        ("action", models.CharField(choices=ACTIONS, max_length=20, verbose_name="action")),
                        ("subject", models.CharField(max_length=500, verbose_name="subject")),
                        ("detail", models.TextField(blank=True, verbose_name="detail")),
                        ("actor", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="by")),
                        ("brief", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to="briefs.brief", verbose_name="brief")),
                    ],
                    options={
                        "db_table": "desk_auditentry",
                        "verbose_name": "audit entry",
                        "verbose_name_plural": "audit log",
                        "ordering": ["-at", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="DriftCheck",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("source_revision", models.PositiveIntegerField()),
                        ("checked_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("brief", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="briefs.brief")),
                        ("checked_by", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("source", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="briefs.brief")),
                    ],
                    options={
                        "db_table": "desk_driftcheck",
                        "constraints": [models.UniqueConstraint(fields=("brief", "source"), name="one_check_per_pair")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
