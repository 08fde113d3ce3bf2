"""Joint punishment lists (失信联合惩戒名单). A person is keyed by the blind index of their 身份证号, an
enterprise by its 统一社会信用代码, so other domains can ask "is this applicant listed?" without names."""

from __future__ import annotations

from django.db import models


class SubjectKind(models.TextChoices):
    PERSON = "person", "自然人"
    LEGAL = "legal", "法人"


class JointPunishmentEntry(models.Model):
    subject_kind = models.CharField(max_length=8, choices=SubjectKind.choices)
    subject_key = models.CharField(max_length=64, help_text="person: blind index of the 身份证号; legal: USCC")
    subject_label = models.CharField(max_length=120, help_text="masked name (person) or enterprise name")
    measure = models.CharField("惩戒措施", max_length=200)
    authority = models.CharField("认定部门", max_length=120)
    basis = models.TextField("认定依据")
    listed_on = models.DateField()
    lifted_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["subject_kind", "subject_key"], name="credit_subject_idx")]
        verbose_name = "联合惩戒名单"
        verbose_name_plural = "联合惩戒名单"

    def __str__(self) -> str:
        return f"{self.subject_label}: {self.measure}"
