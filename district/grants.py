"""The one helper that data migrations use to give role groups their permissions.

Each migration writes its own groups and permissions literally, so that an old migration never
changes meaning; this helper only does the mechanics, and must keep doing exactly this.
"""


def grant_permissions(apps, permissions: dict[str, list[str]]) -> None:
    """Create each named group if missing and give it the permissions, named "app_label.codename"."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after every migration has run (post_migrate); a data
    # migration that grants them needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, names in permissions.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for name in names:
            app_label, codename = name.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
