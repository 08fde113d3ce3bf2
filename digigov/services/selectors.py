"""Every read of the 一网通办 domain, scoped to the actor."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from digigov.core.errors import NotFound
from digigov.identity.models import User, UserKind
from digigov.identity.permissions import Perm
from digigov.identity.scope import scope_q
from digigov.services.models import Application, ApplicationStatus, ServiceItem


def visible_applications(actor: User) -> QuerySet[Application]:
    """Citizens: their own, and their enterprises' (as an active agent). Staff: within accept or decide scope.
    Drafts are private to the applicant."""
    applications = Application.objects.select_related("item", "region", "department", "applicant", "enterprise")
    if actor.kind == UserKind.CITIZEN:
        return applications.filter(
            Q(applicant=actor) | Q(enterprise__agents__user=actor, enterprise__agents__active=True)
        ).distinct()
    scope = scope_q(actor, Perm.ACCEPT_APPLICATION, region_field="region", department_field="department")
    scope |= scope_q(actor, Perm.DECIDE_APPLICATION, region_field="region", department_field="department")
    return applications.filter(scope).exclude(status=ApplicationStatus.DRAFT)


def application_get_for_actor(actor: User, application_id: int) -> Application:
    application = visible_applications(actor).filter(pk=application_id).first()
    if application is None:
        raise NotFound()
    return application


def active_items() -> QuerySet[ServiceItem]:
    """The catalogue is public: anyone may read every active item's guide."""
    return ServiceItem.objects.filter(is_active=True).select_related("department")


def item_get(code: str) -> ServiceItem:
    item = active_items().filter(code=code).first()
    if item is None:
        raise NotFound("事项不存在或已停止办理")
    return item
