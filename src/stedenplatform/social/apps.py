from django.apps import AppConfig


class SocialConfig(AppConfig):
    name = "stedenplatform.social"
    label = "social"
    verbose_name = "DEMaD"
