from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "stedenplatform.rights"
    label = "rights"
    verbose_name = "Rechten"
