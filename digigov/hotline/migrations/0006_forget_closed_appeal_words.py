"""Closed and merged appeals now lose their words when they close (transitions.move); drop those left from before."""

from django.db import migrations

OPEN = ("received", "dispatched", "signed", "replied")


def forget_closed(apps, schema_editor):
    Appeal = apps.get_model("hotline", "Appeal")
    AppealWord = apps.get_model("hotline", "AppealWord")
    AppealWord.objects.exclude(appeal__in=Appeal.objects.filter(status__in=OPEN).values("pk")).delete()


class Migration(migrations.Migration):
    dependencies = [("hotline", "0005_appeal_words")]

    operations = [migrations.RunPython(forget_closed, migrations.RunPython.noop)]
