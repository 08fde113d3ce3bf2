from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "digigov.onestop"
    label = "services"
    verbose_name = "一网通办"

    def ready(self) -> None:
        # Workflow hooks register when their modules load: a bundle child's end may close its bundle; every
        # step keeps the staff inbox in step and tells the applicant what concerns them.
        from digigov.onestop.services import bundles, inbox, notify  # noqa: F401
