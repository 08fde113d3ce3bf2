"""Application.handling_working_days: the working days from 受理 to 办结, stored at 办结 so the statistics
average it in the database. Existing completed applications are counted here, with the calendar as loaded."""

from collections import defaultdict

from django.db import migrations, models
from django.utils import timezone

from digigov.core.calendar import CalendarNotPublished, WorkCalendar

BATCH = 1000


def backfill(apps, schema_editor):
    Application = apps.get_model("services", "Application")
    CalendarDay = apps.get_model("core", "CalendarDay")
    CalendarYear = apps.get_model("core", "CalendarYear")
    years = list(CalendarYear.objects.values_list("year", flat=True))
    exceptions = dict(CalendarDay.objects.filter(date__year__in=years).values_list("date", "is_working_day"))
    calendar = WorkCalendar(exceptions, years)
    rows = Application.objects.filter(
        status="completed", accepted_on__isnull=False, completed_at__isnull=False, handling_working_days__isnull=True
    ).values_list("pk", "accepted_on", "completed_at")
    by_days = defaultdict(list)
    for pk, accepted_on, completed_at in rows.iterator(chunk_size=2000):
        try:
            days = max(calendar.working_days_between(accepted_on, timezone.localdate(completed_at)), 0)
        except CalendarNotPublished:
            continue  # a year without a published calendar cannot be counted in working days: stays NULL
        by_days[days].append(pk)
    for days, pks in by_days.items():
        for start in range(0, len(pks), BATCH):
            Application.objects.filter(pk__in=pks[start : start + BATCH]).update(handling_working_days=days)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_work_calendar"),
        ("services", "0002_open_worklist_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="handling_working_days",
            field=models.PositiveSmallIntegerField(
                blank=True, help_text="working days from 受理 to 办结, set at 办结 (statistics average it)", null=True
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
