"""Password check against the account found by login name (resolution of other identifiers happens in
services.auth.find_user, so the backend stays a plain username backend with argon2 hashes)."""

from typing import Any

from django.contrib.auth.backends import ModelBackend


class IdentifierBackend(ModelBackend):
    """ModelBackend without Django's model permissions: DigiGov grants are scoped (see identity.scope)."""

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()
