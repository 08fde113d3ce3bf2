"""The hotline's reference data: channels, the three-level category tree, time limits and the knowledge base."""

from __future__ import annotations

from django.db import models


class AppealType(models.TextChoices):
    CONSULTATION = "consultation", "咨询"
    COMPLAINT = "complaint", "投诉"
    SUGGESTION = "suggestion", "建议"
    HELP = "help", "求助"
    REPORT = "report", "举报"


class Channel(models.Model):
    """The channel registry: every way an appeal can reach the centre. Intake refuses an inactive channel."""

    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(max_length=40)
    agent_entered = models.BooleanField(default=False, help_text="an agent types it while talking (phone)")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "受理渠道"
        verbose_name_plural = "受理渠道"

    def __str__(self) -> str:
        return self.name


class CategoryLevel(models.IntegerChoices):
    L1 = 1, "一级分类"
    L2 = 2, "二级分类"
    L3 = 3, "三级分类"


class Category(models.Model):
    """A node of the appeal category tree (taxonomy.csv). department: who handles appeals of this node
    (inherited from the nearest ancestor that names one)."""

    code = models.CharField(max_length=12, unique=True, help_text="L1: 2 digits, L2: 4, L3: 6")
    name = models.CharField(max_length=40)
    level = models.PositiveSmallIntegerField(choices=CategoryLevel.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=120, help_text="一级/二级/三级")
    department = models.ForeignKey(
        "identity.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="hotline_categories"
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "诉求分类"
        verbose_name_plural = "诉求分类"

    def __str__(self) -> str:
        return self.path


class DeadlinePolicy(models.Model):
    """Time limits per appeal type: 签收 in working hours, 办理 (to the reply) in working days."""

    appeal_type = models.CharField(max_length=14, choices=AppealType.choices, unique=True)
    sign_working_hours = models.PositiveSmallIntegerField(default=2)
    handle_working_days = models.PositiveSmallIntegerField(default=5)
    callback_working_days = models.PositiveSmallIntegerField(default=2, help_text="回访 after the reply")

    class Meta:
        ordering = ["appeal_type"]
        verbose_name = "办理时限"
        verbose_name_plural = "办理时限"

    def __str__(self) -> str:
        return self.get_appeal_type_display()


class KnowledgeEntry(models.Model):
    """A question and its authoritative answer that agents search while on the phone."""

    question = models.CharField(max_length=300)
    answer = models.TextField()
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL)
    department = models.ForeignKey("identity.Department", null=True, blank=True, on_delete=models.SET_NULL)
    search_tokens = models.TextField(blank=True, help_text="jieba search tokens of question and answer")
    source = models.CharField(max_length=20, default="manual", help_text="manual, reply (seeded from replies)")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "知识库条目"
        verbose_name_plural = "知识库条目"

    def __str__(self) -> str:
        return self.question
