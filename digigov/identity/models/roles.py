"""Staff placement, roles, scoped grants, and API tokens for machine clients."""

from __future__ import annotations

from django.db import models

from digigov.identity.models.org import Department, Region
from digigov.identity.models.people import User


class StaffProfile(models.Model):
    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="staff")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="staff")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="staff")
    title = models.CharField(max_length=60, blank=True)

    class Meta:
        verbose_name = "工作人员"
        verbose_name_plural = "工作人员"

    def __str__(self) -> str:
        return str(self.user)


class Role(models.Model):
    """What may be done: a set of permission codes (digigov.identity.permissions.Perm)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=40)
    description = models.CharField(max_length=200, blank=True)
    permissions = models.JSONField(default=list)
    requires_mfa = models.BooleanField(default=False, help_text="holders must pass a TOTP second factor")

    class Meta:
        ordering = ["code"]
        verbose_name = "角色"
        verbose_name_plural = "角色"

    def __str__(self) -> str:
        return self.name


class RoleGrant(models.Model):
    """Where a role applies: one department (or any, when empty) within one region subtree."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="grants")
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT)
    region = models.ForeignKey(Region, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "department", "region"], name="unique_grant"),
        ]
        verbose_name = "授权"
        verbose_name_plural = "授权"

    def __str__(self) -> str:
        return f"{self.user_id}:{self.role_id}@{self.region_id}"


class ApiToken(models.Model):
    """A bearer token for a machine client. Only its SM3 digest is stored; the secret is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=60)
    prefix = models.CharField(max_length=12, help_text="first characters, to recognise a token in lists")
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
