"""Appeals (诉求): the closed loop 受理 → 派单 → 签收 → 办理 → 回复 → 回访 → 办结 as a state machine."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from digigov.core.workflow.cards import card_of
from digigov.core.workflow.fields import StateField, StatefulModel
from digigov.hotline.models.catalogue import AppealType


class AppealStatus(models.TextChoices):
    RECEIVED = "received", "待派单"
    DISPATCHED = "dispatched", "待签收"
    SIGNED = "signed", "办理中"
    REPLIED = "replied", "待回访"
    CLOSED = "closed", "已办结"
    MERGED = "merged", "已并案"


OPEN_APPEAL_STATUSES = (
    AppealStatus.RECEIVED,
    AppealStatus.DISPATCHED,
    AppealStatus.SIGNED,
    AppealStatus.REPLIED,
)

# The stages with a clock: 签收 (working hours) and 回复 (working days).
APPEAL_CLOCK_RUNNING = (AppealStatus.DISPATCHED, AppealStatus.SIGNED)


class AppealCard(models.TextChoices):
    NONE = "none", "未计时"
    GREEN = "green", "正常"
    YELLOW = "yellow", "即将到期"
    RED = "red", "已超期"


class RoutedBy(models.TextChoices):
    MODEL = "model", "自动分拨"
    DISPATCHER = "dispatcher", "人工派单"
    CALLER = "caller", "来电人选择"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASICALLY = "basically", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"
    UNREACHABLE = "unreachable", "未联系上"


class Appeal(StatefulModel):
    """One citizen's appeal. status changes only through the workflow kernel (hotline.workflow: audited, with
    an event row; of two concurrent steps the second is refused)."""

    number = models.CharField("工单编号", max_length=20, unique=True)
    channel = models.ForeignKey("hotline.Channel", on_delete=models.PROTECT, related_name="appeals")
    idempotency_key = models.CharField(max_length=80, blank=True, help_text="a retried submission finds the first")
    submission_digest = models.CharField(max_length=64, blank=True, help_text="SM3 of the submitted content")
    appeal_type = models.CharField(max_length=14, choices=AppealType.choices)
    subject = models.CharField(max_length=100)
    text = models.TextField()
    address = models.CharField(max_length=200, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    region = models.ForeignKey(
        "identity.Region",
        on_delete=models.PROTECT,
        related_name="appeals",
        help_text="where it happened (community, street or district; the city if unknown)",
    )

    # The caller: sealed at rest (SM4-GCM), masked for handlers, hidden from them altogether when 保密.
    caller_name_sealed = models.BinaryField(blank=True, default=b"")
    caller_name_masked = models.CharField(max_length=20, blank=True)
    caller_phone_sealed = models.BinaryField(blank=True, default=b"")
    caller_phone_masked = models.CharField(max_length=20, blank=True)
    caller_phone_index = models.CharField(max_length=64, blank=True, db_index=True)
    caller_user = models.ForeignKey(
        "identity.User", null=True, blank=True, on_delete=models.PROTECT, related_name="hotline_appeals"
    )
    confidential = models.BooleanField("保密", default=False)

    # Routing: what the model suggested, who decided, which model version.
    category = models.ForeignKey(
        "hotline.Category", null=True, blank=True, on_delete=models.PROTECT, related_name="appeals"
    )
    category_l1 = models.CharField(max_length=20, blank=True)
    suggestions = models.JSONField(default=list, blank=True, help_text="[{label, confidence}] at intake")
    routing_confidence = models.FloatField(null=True, blank=True)
    routing_model_version = models.PositiveIntegerField(null=True, blank=True)
    routed_by = models.CharField(max_length=12, choices=RoutedBy.choices, blank=True)
    needs_dispatcher = models.BooleanField(default=False)
    department = models.ForeignKey(
        "identity.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="appeals"
    )
    handler_region = models.ForeignKey(
        "identity.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_appeals",
        help_text="一单通达: the street or community that handles it directly",
    )

    status = StateField(max_length=12, default=AppealStatus.RECEIVED, choices=AppealStatus.choices)
    master = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_appeals")
    analytics_tokens = models.TextField(blank=True, help_text="jieba words of subject and text, for analytics")
    similar_appeals = models.JSONField(default=list, blank=True, help_text="[{id, number, score}] at intake")
    reopen_count = models.PositiveSmallIntegerField(default=0)
    support_count = models.PositiveIntegerField(default=0, help_text="public support (点赞) for hot issues")

    # The clock (aware datetimes): 签收 and 回复 deadlines, extended by approved 延期; the card is derived.
    created_at = models.DateTimeField(db_index=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    sign_due_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    reply_due_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    reply_text = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    yellow_at = models.DateTimeField(null=True, blank=True, help_text="the current stage's card turns yellow")
    due_at = models.DateTimeField(null=True, blank=True, help_text="the current stage's deadline (签收 or 回复)")
    escalated_at = models.DateTimeField(null=True, blank=True, help_text="督办")
    satisfaction = models.CharField(max_length=12, choices=Satisfaction.choices, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="hotline_one_appeal_per_key",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"], name="appeal_status_due_at_idx"),
            models.Index(fields=["department", "status"], name="appeal_department_status_idx"),
            models.Index(fields=["handler_region", "status"], name="appeal_handler_region_idx"),
            # The duplicate check at intake reads the open appeals of one region in a time window.
            models.Index(
                fields=["region", "created_at"],
                condition=models.Q(status__in=OPEN_APPEAL_STATUSES),
                name="appeal_open_region_idx",
            ),
            models.Index(
                fields=["created_at", "id"],
                condition=models.Q(status__in=OPEN_APPEAL_STATUSES),
                name="appeal_open_idx",
            ),
        ]
        verbose_name = "诉求工单"
        verbose_name_plural = "诉求工单"

    def __str__(self) -> str:
        return self.number

    @property
    def card(self) -> str:
        """The current stage's card at this moment (derived from the instants, never stored)."""
        return card_of(
            running=self.status in APPEAL_CLOCK_RUNNING,
            paused=False,
            yellow_at=self.yellow_at,
            due_at=self.due_at,
            now=timezone.now(),
        )


class AppealEvent(models.Model):
    """The timeline: every step of the loop, who took it, for which department or region, and why."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=24)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    actor = models.ForeignKey("identity.User", null=True, blank=True, on_delete=models.PROTECT)
    department = models.ForeignKey("identity.Department", null=True, blank=True, on_delete=models.PROTECT)
    region = models.ForeignKey("identity.Region", null=True, blank=True, on_delete=models.PROTECT)
    note = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["appeal", "id"]
        verbose_name = "工单流转记录"
        verbose_name_plural = "工单流转记录"

    def __str__(self) -> str:
        return f"{self.appeal_id}: {self.action}"


class AppealWord(models.Model):
    """One distinct analytics word of an appeal (``Appeal.analytics_tokens``), with the appeal's region and
    time copied in: the index the duplicate check at intake looks the new appeal's words up in, so it reads
    only the open appeals of the street that share its rarest words instead of scanning every open appeal's
    tokens. Written with the appeal (``services.appeal_words.index_appeal_words``), never changed; rows of closed
    or old appeals are skipped by the query (status joined, time filtered) and pruned by ``hotline_sweep``."""

    # (appeal, word) is unique: that index also serves deletes by appeal, so the foreign key needs none.
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="+", db_index=False)
    word = models.CharField(max_length=20)
    region = models.ForeignKey("identity.Region", on_delete=models.PROTECT, related_name="+", db_index=False)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["appeal", "word"], name="appeal_word_once")]
        indexes = [models.Index(fields=["word", "region", "created_at"], name="appeal_word_lookup_idx")]
        verbose_name = "诉求词索引"
        verbose_name_plural = "诉求词索引"

    def __str__(self) -> str:
        return f"{self.appeal_id}: {self.word}"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "不批准"


class ExtensionRequest(models.Model):
    """延期: the handling department asks for more working days; the hotline centre decides."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="extensions")
    working_days = models.PositiveSmallIntegerField()
    reason = models.TextField()
    requested_by = models.ForeignKey("identity.User", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING)
    decided_by = models.ForeignKey("identity.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["appeal"], condition=models.Q(status="pending"), name="one_pending_extension"
            ),
        ]
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"

    def __str__(self) -> str:
        return f"{self.appeal_id} +{self.working_days}"


class CallbackTask(models.Model):
    """回访: after the reply the centre calls back; 不满意 reopens the appeal once."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="callbacks")
    round = models.PositiveSmallIntegerField(default=1)
    department = models.ForeignKey("identity.Department", on_delete=models.PROTECT, related_name="+")
    due_at = models.DateTimeField()
    result = models.CharField(max_length=12, choices=Satisfaction.choices, blank=True)
    comment = models.TextField(blank=True)
    done_by = models.ForeignKey("identity.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [models.UniqueConstraint(fields=["appeal", "round"], name="one_callback_per_round")]
        indexes = [models.Index(fields=["department", "done_at"], name="callback_department_idx")]
        verbose_name = "回访任务"
        verbose_name_plural = "回访任务"

    def __str__(self) -> str:
        return f"{self.appeal_id} 回访{self.round}"


class AppealAttachment(models.Model):
    """A photo or document the caller sent with the appeal (checked by content), or the link an Open311
    client gave (media_url); never both."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="hotline/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=150, blank=True)
    size = models.PositiveIntegerField(default=0)
    sm3 = models.CharField(max_length=64, blank=True)
    media_url = models.URLField(max_length=500, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["appeal", "id"]
        verbose_name = "诉求附件"
        verbose_name_plural = "诉求附件"

    def __str__(self) -> str:
        return self.original_name or self.media_url
