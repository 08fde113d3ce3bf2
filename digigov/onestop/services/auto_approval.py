"""秒批: when every declarative rule of the item holds, the system accepts, approves and completes the
application at once and stores the evidence. A rule that cannot be evaluated never approves."""

from __future__ import annotations

from django.utils import timezone

from digigov.core.calendar import work_calendar
from digigov.core.errors import DomainError
from digigov.core.form_schema import validate_form_schema
from digigov.core.policy import SYSTEM
from digigov.core.workflow import move
from digigov.onestop.models import Application
from digigov.onestop.rules import build_facts, evaluate, validate_rules
from digigov.onestop.services import clock
from digigov.onestop.services.applicant_facts import applicant_facts
from digigov.onestop.workflow import application_workflow


def facts_for(app: Application) -> dict[str, object]:
    return build_facts(applicant_facts(app.applicant, app.enterprise), app.form_data)


def try_auto_approve(app: Application) -> bool:
    """Called right after submission. Returns True when the application was approved and completed."""
    if not app.item.auto_approval_rules:
        return False
    try:
        conditions = validate_rules(app.item.auto_approval_rules, validate_form_schema(app.item.form_fields))
    except DomainError:
        return False  # a broken rule set never approves; the clerk handles the application as usual
    decision = evaluate(conditions, facts_for(app))
    evidence = {**decision.to_dict(), "at": timezone.now().isoformat()}
    if not decision.approved:
        Application.objects.filter(pk=app.pk).update(auto_approval_evidence=evidence)
        app.auto_approval_evidence = evidence
        return False
    today = timezone.localdate()
    note = "秒批: 全部条件满足，系统自动办结"

    def accept(a: Application) -> None:
        a.auto_approved, a.auto_approval_evidence = True, evidence
        clock.start_clock(a, today, work_calendar())

    move(application_workflow, actor=SYSTEM, obj=app, step="accept", note=note, mutate=accept)
    move(application_workflow, actor=SYSTEM, obj=app, step="start_review", note=note)
    move(application_workflow, actor=SYSTEM, obj=app, step="approve", note=note)

    def finish(a: Application) -> None:
        a.completed_at = timezone.now()

    move(application_workflow, actor=SYSTEM, obj=app, step="complete", note=note, mutate=finish)
    return True
