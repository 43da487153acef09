from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _create_role_groups(sender, **kwargs):
    # Permissions exist only after every app has migrated, hence post_migrate
    # rather than a data migration; it runs once per app, and the last run
    # sees every app's permissions.
    from .services import ensure_role_groups

    ensure_role_groups()


class DepartmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "departments"
    verbose_name = _("单位")

    def ready(self):
        from . import api_tokens  # noqa: F401  (revokes tokens when a password changes or an account stops)

        post_migrate.connect(_create_role_groups, dispatch_uid="bluesky_role_groups")
