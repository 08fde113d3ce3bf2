from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "digigov.onestop"
    label = "services"
    verbose_name = "一网通办"
