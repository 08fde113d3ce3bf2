"""The shared working-day calendar (see digigov.core.calendar)."""

from __future__ import annotations

from django.db import models


class CalendarSource(models.TextChoices):
    CHINESECALENDAR = "chinesecalendar", "chinesecalendar 软件包"
    MANUAL = "manual", "管理员录入"


class CalendarDay(models.Model):
    """An exception to the Monday–Friday rule: a holiday on a weekday, or a make-up working day (调休上班) on a
    weekend. Days that follow the rule are not stored. Written only by digigov/core/services/calendar.py."""

    date = models.DateField(unique=True)
    is_working_day = models.BooleanField(help_text="True: 调休上班 on a weekend; False: 放假 on a weekday")
    name = models.CharField(max_length=60, help_text="e.g. 春节, 国庆节调休上班")
    source = models.CharField(max_length=20, choices=CalendarSource.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = "工作日历例外日"
        verbose_name_plural = "工作日历例外日"

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_working_day else '放假'} {self.name}"


class CalendarYear(models.Model):
    """A year whose holiday arrangement is loaded. Without a row the year is unknown ("not published yet"),
    which is different from a loaded year that happens to have no exceptions."""

    year = models.PositiveSmallIntegerField(unique=True)
    source = models.CharField(max_length=20, choices=CalendarSource.choices)
    loaded_at = models.DateTimeField()

    class Meta:
        ordering = ["year"]
        verbose_name = "已录入的日历年份"
        verbose_name_plural = "已录入的日历年份"

    def __str__(self) -> str:
        return f"{self.year} ({self.source})"
