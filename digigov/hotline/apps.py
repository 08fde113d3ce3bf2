from django.apps import AppConfig


class HotlineConfig(AppConfig):
    name = "digigov.hotline"
    label = "hotline"
    verbose_name = "12345 热线"

    def ready(self) -> None:
        # Workflow hooks register when their modules load: every step keeps the staff inbox in step.
        from digigov.hotline.services import inbox  # noqa: F401
