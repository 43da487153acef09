from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """No models: the app exists for its management commands (load_demo, generate_data)."""

    name = "demo"
    verbose_name = _("演示数据")
