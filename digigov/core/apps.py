from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "digigov.core"
    label = "core"
    verbose_name = "平台内核"

    def ready(self) -> None:
        # Each domain registers its message kinds in `<domain>/messages.py` (digigov.core.messages.registry) and
        # its task kinds, rebuilders or the grants provider in `<domain>/inbox.py` (core imports no domain; the
        # domains come to it).
        autodiscover_modules("messages")
        autodiscover_modules("inbox")
