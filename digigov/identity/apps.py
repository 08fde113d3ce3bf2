from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "digigov.identity"
    label = "identity"
    verbose_name = "统一身份认证"

    def ready(self) -> None:
        from digigov.identity.policy import register_core_rules

        register_core_rules()  # the calendar rule core's services ask (digigov.core.policy)
