from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "digigov.identity"
    label = "identity"
    verbose_name = "统一身份认证"
