from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "digigov.core"
    label = "core"
    verbose_name = "平台内核"

    def ready(self) -> None:
        # Each app's `inbox` module registers its task kinds, rebuilders or the grants provider (core imports
        # no domain; the domains come to it).
        autodiscover_modules("inbox")
