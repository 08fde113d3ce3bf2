"""The catalogue of 政务服务事项: what can be applied for, where, by whom, with which form and materials."""

from __future__ import annotations

from django.db import models


class ItemType(models.TextChoices):
    LICENSING = "licensing", "行政许可"
    CONFIRMATION = "confirmation", "行政确认"
    BENEFIT = "benefit", "行政给付"
    AWARD = "award", "行政奖励"
    RULING = "ruling", "行政裁决"
    OTHER_POWER = "other_power", "其他行政权力"
    PUBLIC_SERVICE = "public_service", "公共服务"


class OnlineLevel(models.TextChoices):
    FULLY_ONLINE = "full", "全程网办"
    PRE_REVIEW = "pre_review", "网上预审, 窗口办结"
    OFFLINE = "offline", "窗口办理"


class ApplicantKind(models.TextChoices):
    PERSON = "person", "自然人"
    LEGAL = "legal", "法人"
    BOTH = "both", "自然人、法人"


class HandlingScope(models.TextChoices):
    LOCAL = "local", "属地办理"
    CITYWIDE = "citywide", "全市通办"
    CROSS_REGION = "cross_region", "跨域通办"


class ServiceItem(models.Model):
    """A 政务服务事项. Deadlines are in 工作日; fee in yuan (0: 不收费)."""

    code = models.CharField("事项编码", max_length=40, unique=True)
    name = models.CharField("事项名称", max_length=120)
    department = models.ForeignKey("identity.Department", on_delete=models.PROTECT, related_name="service_items")
    item_type = models.CharField("事项类型", max_length=20, choices=ItemType.choices)
    legal_basis = models.TextField("设定依据")
    statutory_days = models.PositiveSmallIntegerField("法定时限(工作日)")
    promised_days = models.PositiveSmallIntegerField("承诺时限(工作日)")
    fee = models.DecimalField("收费标准(元)", max_digits=10, decimal_places=2, default=0)
    fee_note = models.CharField("收费说明", max_length=200, blank=True)
    online_level = models.CharField("网办深度", max_length=12, choices=OnlineLevel.choices)
    applicant_kind = models.CharField("服务对象", max_length=8, choices=ApplicantKind.choices)
    handling_scope = models.CharField("通办范围", max_length=14, choices=HandlingScope.choices)
    regions = models.ManyToManyField(
        "identity.Region", related_name="service_items", help_text="regions where it can be handled"
    )
    guide = models.TextField("办事指南", blank=True, help_text="procedure, conditions, where to go")
    form_fields = models.JSONField("申请表字段", default=list, help_text="see services.form_schema")
    auto_approval_rules = models.JSONField("秒批规则", default=list, blank=True, help_text="see services.rules")
    search_tokens = models.TextField(blank=True, help_text="jieba tokens of name and guide, space separated")
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "政务服务事项"
        verbose_name_plural = "政务服务事项"

    def __str__(self) -> str:
        return self.name


class RequiredMaterial(models.Model):
    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="materials")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField("材料名称", max_length=120)
    mandatory = models.BooleanField("必须提交", default=True)
    file_types = models.JSONField("接受的文件类型", default=list, help_text='e.g. ["pdf", "jpg", "png"]')
    max_size_mb = models.PositiveSmallIntegerField(default=10)
    # Seam for 电子证照: when the applicant holds a license of this type, the material is satisfied by it.
    license_type = models.CharField("可由电子证照替代", max_length=60, blank=True)

    class Meta:
        ordering = ["item", "position"]
        constraints = [models.UniqueConstraint(fields=["item", "name"], name="one_material_name_per_item")]
        verbose_name = "申请材料"
        verbose_name_plural = "申请材料"

    def __str__(self) -> str:
        return self.name
