from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "stedenplatform.stats"
    label = "stats"
    verbose_name = "Cijfers"
