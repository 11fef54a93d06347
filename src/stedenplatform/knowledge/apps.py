from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "stedenplatform.knowledge"
    label = "knowledge"
    verbose_name = "Kennisbank"
