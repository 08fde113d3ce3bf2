"""The staff inbox's rows (see digigov.core.inbox): one per task a domain opened, open until it is closed."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

OPEN = Q(closed_at__isnull=True)


class InboxBox(models.TextChoices):
    TODO = "todo", "待办"
    TOREAD = "toread", "待阅"


class InboxTask(models.Model):
    """A task for one user, or for everyone whose grants cover (permission, region subtree, department).

    Written by the domain in the same transaction as the move that opens or ends it. The card a reader sees is
    derived from yellow_at and due_at and the time of the query; there is no stored flag. Users, departments
    and regions are plain ids and codes, like the audit chain's actor: core refers to no domain's table.
    """

    kind = models.CharField(max_length=60, help_text="registry key, e.g. services.application_accept")
    box = models.CharField(max_length=8, choices=InboxBox.choices, default=InboxBox.TODO)
    object_type = models.CharField(max_length=60, help_text="app_label.model of the object the task is about")
    object_id = models.CharField(max_length=64)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, blank=True)
    link = models.CharField(max_length=300, help_text="URL path of the object's page")
    for_user_id = models.BigIntegerField(null=True, blank=True, help_text="identity.User id; or a scope below")
    permission = models.CharField(max_length=60, blank=True, help_text="permission code the holder needs")
    region_code = models.CharField(max_length=12, blank=True, help_text="12-digit code; grants cover prefixes")
    department_id = models.BigIntegerField(
        null=True, blank=True, help_text="empty: only grants without a department cover it (unless any_department)"
    )
    any_department = models.BooleanField(
        default=False, help_text="the department does not matter: any grant of the permission in the region covers it"
    )
    yellow_at = models.DateTimeField(null=True, blank=True, help_text="from then on the card is yellow")
    due_at = models.DateTimeField(null=True, blank=True, help_text="after it the card is red")
    opened_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by_id = models.BigIntegerField(null=True, blank=True, help_text="identity.User id; empty for system")
    closed_how = models.CharField(max_length=40, blank=True, help_text="the step that ended it, e.g. accept")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_type", "object_id"], condition=OPEN, name="inbox_one_open_per_kind_object"
            ),
            models.CheckConstraint(
                condition=Q(for_user_id__isnull=False) | ~Q(permission=""), name="inbox_has_recipient"
            ),
            models.CheckConstraint(
                condition=Q(any_department=False) | Q(department_id__isnull=True), name="inbox_any_department_alone"
            ),
        ]
        indexes = [
            # the scope filter: permission equality, then a range on region_code (a prefix), open rows only
            models.Index(
                fields=["permission", "region_code", "department_id"], condition=OPEN, name="inbox_open_scope_idx"
            ),
            models.Index(fields=["for_user_id"], condition=OPEN, name="inbox_open_user_idx"),
            models.Index(fields=["closed_by_id", "closed_at"], name="inbox_done_idx"),
            models.Index(fields=["object_type", "object_id"], name="inbox_object_idx"),
        ]
        verbose_name = "待办事项"
        verbose_name_plural = "待办事项"

    def __str__(self) -> str:
        return f"{self.kind} {self.object_type}:{self.object_id}"
