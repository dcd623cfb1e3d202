"""The role groups and their permissions (see ``newsbrief.briefs.roles``)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen here: the migration must keep meaning what it meant when it was written.
EDITOR = ["briefs.add_brief", "briefs.change_brief", "briefs.view_brief"]
GROUP_PERMISSIONS = {
    "Editors": EDITOR,
    "Chief editors": [*EDITOR, "briefs.publish_brief"],
    "Site admins": [
        f"{app}.{action}_{model}"
        for app, model in [("briefs", "board"), ("briefs", "category"), ("auth", "user"), ("auth", "group")]
        for action in ("add", "change", "delete", "view")
    ]
    + ["desk.view_auditentry"],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for config in apps.get_app_configs():
        module, config.models_module = getattr(config, "models_module", None), True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUP_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0001_initial"),
        ("briefs", "0002_review_status_and_publish_permission"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
