from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "digigov.demo"
    label = "demo"
    verbose_name = "演示城市"
