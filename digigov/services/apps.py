from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "digigov.services"
    label = "services"
    verbose_name = "一网通办"
