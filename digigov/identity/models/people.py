"""Accounts, citizens (实名) and enterprises (法人) with their authorised agents."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from digigov.core.masking import mask_id_number, mask_mobile
from digigov.core.protected import unseal


class UserKind(models.TextChoices):
    CITIZEN = "citizen", "自然人"
    STAFF = "staff", "工作人员"
    SERVICE = "service", "对接系统"


class User(AbstractUser):
    """One login. Real-name facts live in CitizenProfile or StaffProfile, never here."""

    kind = models.CharField(max_length=10, choices=UserKind.choices, default=UserKind.CITIZEN)
    display_name = models.CharField(max_length=60, blank=True)
    elder_mode = models.BooleanField("适老化模式", default=False)
    failed_logins = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "账号"
        verbose_name_plural = "账号"

    def __str__(self) -> str:
        return self.display_name or self.username


class CitizenProfile(models.Model):
    """实名 data. 身份证号 and mobile are SM4-sealed; lookups go through keyed SM3 blind indexes."""

    ID_PURPOSE = "citizen.id_number"
    MOBILE_PURPOSE = "citizen.mobile"

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="citizen")
    real_name = models.CharField(max_length=60)
    id_number_sealed = models.BinaryField()
    id_number_index = models.CharField(max_length=64, unique=True)
    id_number_masked = models.CharField(max_length=18)
    id_override = models.BooleanField(default=False, help_text="check digit failed; accepted by manual review")
    birth_date = models.DateField()
    gender = models.CharField(max_length=1, choices=[("M", "男"), ("F", "女")])
    birth_region_code = models.CharField(max_length=6, help_text="GB/T 2260 code from the 身份证号")
    mobile_sealed = models.BinaryField()
    mobile_index = models.CharField(max_length=64, unique=True)
    residence = models.ForeignKey("identity.Region", null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "自然人"
        verbose_name_plural = "自然人"

    def __str__(self) -> str:
        return self.real_name

    @property
    def mobile_masked(self) -> str:
        return mask_mobile(self.mobile())

    def id_number(self) -> str:
        """The full number; call only where it is genuinely needed (it is decrypted each time)."""
        return unseal(self.ID_PURPOSE, bytes(self.id_number_sealed))

    def mobile(self) -> str:
        return unseal(self.MOBILE_PURPOSE, bytes(self.mobile_sealed))

    @staticmethod
    def mask_id(number: str) -> str:
        return mask_id_number(number)


class Enterprise(models.Model):
    """A legal person, identified by its 统一社会信用代码 (public information, stored in clear)."""

    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    uscc_override = models.BooleanField(default=False, help_text="check digit failed; accepted by manual review")
    name = models.CharField(max_length=120)
    legal_representative = models.CharField(max_length=60)
    region = models.ForeignKey("identity.Region", on_delete=models.PROTECT, related_name="enterprises")
    address = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uscc"]
        verbose_name = "法人"
        verbose_name_plural = "法人"

    def __str__(self) -> str:
        return self.name


class AgentRole(models.TextChoices):
    LEGAL_REP = "legal_rep", "法定代表人"
    AGENT = "agent", "经办人"


class AgentState(models.TextChoices):
    """An agency is an invitation until the citizen named in it accepts; only ACCEPTED acts for the enterprise."""

    PENDING = "pending", "待确认"
    ACCEPTED = "accepted", "已接受"
    DECLINED = "declined", "已拒绝"
    WITHDRAWN = "withdrawn", "已撤回"


class EnterpriseAgent(models.Model):
    """A citizen account invited to act for an enterprise; it acts for it only once ACCEPTED.

    An invitation to a mobile number that belongs to no registered citizen is stored too, with no user: it stays
    PENDING and can never be accepted, so the legal representative sees the same answer and the same list
    whether or not the number is registered (the number is not revealed to be unknown)."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="agents")
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="agencies")
    role = models.CharField(max_length=12, choices=AgentRole.choices, default=AgentRole.AGENT)
    state = models.CharField(max_length=10, choices=AgentState.choices, default=AgentState.PENDING)
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    invited_mobile_index = models.CharField(
        max_length=64, blank=True, help_text="blind index of the mobile number the invitation was sent to"
    )
    invited_mobile_masked = models.CharField(max_length=14, blank=True)
    invited_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True, help_text="when it was declined or withdrawn")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "user"], name="one_agency_per_user"),
            models.UniqueConstraint(
                fields=["enterprise", "invited_mobile_index"],
                condition=models.Q(user__isnull=True),
                name="one_unanswerable_invitation_per_number",
            ),
        ]
        verbose_name = "企业经办人"
        verbose_name_plural = "企业经办人"

    def __str__(self) -> str:
        return f"{self.enterprise_id}:{self.user_id}:{self.role}:{self.state}"

    @property
    def agent_name(self) -> str:
        """The agent's name once they have accepted (they consented to be known); before, only the number."""
        if self.accepted_at is None or self.user is None:
            return ""
        return self.user.citizen.real_name

    @property
    def mobile_masked(self) -> str:
        if self.invited_mobile_masked:
            return self.invited_mobile_masked
        return self.user.citizen.mobile_masked if self.accepted_at and self.user else ""
