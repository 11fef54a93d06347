from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "stedenplatform.core"
    label = "core"
    verbose_name = "Platform"
