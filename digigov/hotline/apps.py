from django.apps import AppConfig


class HotlineConfig(AppConfig):
    name = "digigov.hotline"
    label = "hotline"
    verbose_name = "12345 热线"
