"""秒批: when every declarative rule of the item holds, the system accepts, approves and completes the
application at once and stores the evidence. A rule that cannot be evaluated never approves."""

from __future__ import annotations

from django.utils import timezone

from digigov.core.calendar import work_calendar
from digigov.core.errors import DomainError
from digigov.core.form_schema import validate_form_schema
from digigov.onestop.models import Application
from digigov.onestop.rules import build_facts, evaluate, validate_rules
from digigov.onestop.services import clock
from digigov.onestop.services.applicant_facts import applicant_facts
from digigov.onestop.services.transitions import transition


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
    app.auto_approval_evidence = {**decision.to_dict(), "at": timezone.now().isoformat()}
    if not decision.approved:
        Application.objects.filter(pk=app.pk).update(auto_approval_evidence=app.auto_approval_evidence)
        return False
    app.auto_approved = True
    today = timezone.localdate()
    note = "秒批: 全部条件满足，系统自动办结"
    transition(
        actor=None,
        app=app,
        action="accept",
        comment=note,
        mutate=lambda a: clock.start_clock(a, today, work_calendar()),
    )
    transition(actor=None, app=app, action="start_review", comment=note)
    transition(actor=None, app=app, action="approve", comment=note)

    def finish(a: Application) -> None:
        a.completed_at = timezone.now()

    transition(actor=None, app=app, action="complete", comment=note, mutate=finish)
    return True
