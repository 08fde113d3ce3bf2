"""Password complexity for 等保 2.0: at least three of four character classes."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

CLASSES = (r"[a-z]", r"[A-Z]", r"\d", r"[^a-zA-Z\d]")


class CharacterClassValidator:
    def validate(self, password: str, user: object = None) -> None:
        if sum(1 for pattern in CLASSES if re.search(pattern, password)) < 3:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return "密码须包含大写字母、小写字母、数字、特殊字符中的至少三类"
