from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "stedenplatform.plans"
    label = "plans"
    verbose_name = "Plannen"
