"""Every read of the 一网通办 domain, scoped to the actor."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from django.db.models import Avg, Count, DateField, Q, QuerySet
from django.db.models.functions import TruncMonth

from digigov.core.errors import NotFound
from digigov.core.form_schema import FieldSpec
from digigov.core.text_search import query_tokens, token_filter
from digigov.identity.models import Department, Region, User, UserKind
from digigov.identity.models.org import SCOPE_DIGITS, RegionLevel
from digigov.identity.permissions import Perm
from digigov.identity.scope import grant_scopes, scope_q
from digigov.onestop import policy
from digigov.onestop.models import (
    Application,
    ApplicationMaterial,
    ApplicationStatus,
    ApplicationTransition,
    Bundle,
    BundleApplication,
    BundleItem,
    Rating,
    RectificationTask,
    RequiredMaterial,
    ServiceItem,
)
from digigov.onestop.services import bundles as bundle_services
from digigov.onestop.services.bundles import BundleMaterial, bundle_item_list, merged_fields, merged_materials
from digigov.onestop.services.ratings import BAD_SCORE


def visible_applications(actor: User) -> QuerySet[Application]:
    """Citizens: their own, and their enterprises' (as an accepted agent). Staff: within accept or decide scope.
    Drafts are private to the applicant."""
    applications = Application.objects.select_related("item", "region", "department", "applicant", "enterprise")
    return applications.filter(policy.scope_filter(actor, policy.Action.VIEW_APPLICATION))


def application_get_for_actor(actor: User, application_id: int) -> Application:
    application = visible_applications(actor).filter(pk=application_id).first()
    if application is None:
        raise NotFound()
    return application


def active_items() -> QuerySet[ServiceItem]:
    """The catalogue is public: anyone may read every active item's guide."""
    return ServiceItem.objects.filter(is_active=True).select_related("department")


def item_material(item_id: int, material_id: int) -> RequiredMaterial | None:
    """One of an item's required materials; None when the id names another item's material or none."""
    return RequiredMaterial.objects.filter(pk=material_id, item_id=item_id).first()


def departments_with_active_items() -> QuerySet[Department]:
    """The departments the public catalogue lists (those with an active item), in code order."""
    return Department.objects.filter(pk__in=active_items().values("department")).order_by("code")


def item_regions(item: ServiceItem) -> list[Region]:
    """Where an item is handled, in code order."""
    return list(item.regions.order_by("code"))


def item_active_bundles(item: ServiceItem) -> list[Bundle]:
    """The active 一件事 bundles an item belongs to."""
    return list(item.bundles.filter(is_active=True))


def bundle_items_in_order(bundle: Bundle) -> list[ServiceItem]:
    """A bundle's items in the bundle's order, with their departments."""
    rows = bundle.bundle_items.select_related("item", "item__department").order_by("position")
    return [row.item for row in rows]


def application_history(app: Application) -> QuerySet[ApplicationTransition]:
    """An application's transitions, oldest first, with who acted."""
    return app.transitions.select_related("actor").order_by("at", "id")


def application_materials(app: Application) -> QuerySet[ApplicationMaterial]:
    """The files an applicant uploaded, with the required material each answers."""
    return app.materials.select_related("material")


def application_material(app: Application, stored_id: int) -> ApplicationMaterial | None:
    """One uploaded file of the application by its id."""
    return app.materials.filter(pk=stored_id).first()


def item_get(code: str) -> ServiceItem:
    item = active_items().filter(code=code).first()
    if item is None:
        raise NotFound("事项不存在或已停止办理")
    return item


def maintainable_items(actor: User) -> QuerySet[ServiceItem]:
    """Items of the departments the actor's MANAGE_CATALOGUE grants cover, active or not."""
    scope = policy.scope_filter(actor, policy.Action.MAINTAIN_CATALOGUE)
    return ServiceItem.objects.filter(scope).select_related("department")


def maintainable_item_get(actor: User, item_id: int) -> ServiceItem:
    item = maintainable_items(actor).filter(pk=item_id).first()
    if item is None:
        raise NotFound("事项不存在或无权维护")
    return item


def catalogue_departments(actor: User) -> QuerySet[Department]:
    """The departments whose items the actor may maintain (for the item form's choice)."""
    scope = scope_q(actor, Perm.MANAGE_CATALOGUE, region_field="region", department_field="pk")
    return Department.objects.filter(scope).select_related("region").order_by("region__code", "code")


def worklist_items(actor: User) -> QuerySet[ServiceItem]:
    """The items whose applications can be in actor's worklist: for each accept/decide grant, items of the
    grant's department (any, for a grant without one) handled in a region that overlaps the grant's region
    subtree (an item region inside it, or one containing it: a citywide item reaches every street)."""
    grants = [
        scope
        for perm in (Perm.ACCEPT_APPLICATION, Perm.DECIDE_APPLICATION)
        for scope in grant_scopes(actor).get(perm, [])
    ]
    if not grants:
        return ServiceItem.objects.none()
    regions = list(Region.objects.values_list("pk", "code", "level"))
    q = Q(pk__in=[])
    for grant in grants:
        around = [
            pk
            for pk, code, level in regions
            if grant.region_prefix.startswith(code[: SCOPE_DIGITS[RegionLevel(level)]])
        ]
        part = Q(regions__code__startswith=grant.region_prefix) | Q(regions__in=around)
        if grant.department_id is not None:
            part &= Q(department_id=grant.department_id)
        q |= part
    return ServiceItem.objects.filter(pk__in=ServiceItem.objects.filter(q).values("pk"))


# --- 一件事 bundles ----------------------------------------------------------------------------------------


def active_bundles() -> QuerySet[Bundle]:
    """Public, like the catalogue: active bundles whose items are all active."""
    return (
        Bundle.objects.filter(is_active=True)
        .exclude(bundle_items__item__is_active=False)
        .prefetch_related("bundle_items__item__department")
    )


def bundle_get(code: str) -> Bundle:
    bundle = active_bundles().filter(code=code).first()
    if bundle is None:
        raise NotFound("一件事不存在或已停止办理")
    return bundle


def bundle_form_fields(bundle: Bundle) -> list[FieldSpec]:
    """The one form of the bundle: each shared field once, with the tighter of the items' constraints."""
    return merged_fields(bundle_item_list(bundle))


def bundle_materials(bundle: Bundle) -> list[BundleMaterial]:
    """Each material name once (.name, .mandatory, .file_types, .max_size_mb); mandatory if any item needs it."""
    return merged_materials(bundle_item_list(bundle))


def visible_bundle_applications(actor: User) -> QuerySet[BundleApplication]:
    """Citizens: their own. Staff: those with at least one child application in their scope."""
    bundle_apps = BundleApplication.objects.select_related("bundle", "applicant")
    if actor.kind == UserKind.CITIZEN:
        return bundle_apps.filter(applicant=actor)
    children = visible_applications(actor).filter(bundle_application__isnull=False)
    return bundle_apps.filter(pk__in=children.values("bundle_application_id"))


def bundle_application_get_for_actor(actor: User, bundle_application_id: int) -> BundleApplication:
    bundle_app = visible_bundle_applications(actor).filter(pk=bundle_application_id).first()
    if bundle_app is None:
        raise NotFound()
    return bundle_app


@dataclass(frozen=True)
class BundleChildProgress:
    """One line of the applicant's progress view of a 一件事."""

    application: Application
    item: ServiceItem
    status: str
    status_label: str
    department: Department
    due_date: date | None
    holder: str  # who holds the file now


def _holder(app: Application) -> str:
    if app.status == ApplicationStatus.SUBMITTED:
        return "政务服务中心综合窗口（待受理）"
    if app.status == ApplicationStatus.CORRECTION:
        return "申请人（待补正）"
    if app.status in bundle_services.CHILD_ENDED:
        return ""
    return f"{app.department.name} {app.handler}" if app.handler_id else app.department.name


def bundle_progress(bundle_app: BundleApplication) -> list[BundleChildProgress]:
    """Each child in bundle order: item, status, department, due date and who holds it. The caller has
    fetched bundle_app through bundle_application_get_for_actor."""
    position = dict(BundleItem.objects.filter(bundle_id=bundle_app.bundle_id).values_list("item_id", "position"))
    children = Application.objects.filter(bundle_application=bundle_app).select_related("item", "department", "handler")
    rows = sorted(children, key=lambda a: (position.get(a.item_id, 1 << 15), a.pk))
    return [
        BundleChildProgress(
            application=app,
            item=app.item,
            status=app.status,
            status_label=app.get_status_display(),
            department=app.department,
            due_date=app.due_date,
            holder=_holder(app),
        )
        for app in rows
    ]


def bundle_application_status_label(bundle_app: BundleApplication) -> str:
    """办理中, 已办结 (every child 办结) or 未全部办结 (all ended, some 不予受理 or 撤回)."""
    statuses = Application.objects.filter(bundle_application=bundle_app).values_list("status", flat=True)
    return bundle_services.bundle_application_status(statuses)


# --- 好差评 -----------------------------------------------------------------------------------------------


def visible_rectifications(actor: User) -> QuerySet[RectificationTask]:
    """Staff: tasks of the departments and regions they answer for. Citizens: those opened by their ratings."""
    tasks = RectificationTask.objects.select_related(
        "department", "rating", "rating__application", "rating__application__item", "answered_by"
    )
    if actor.kind == UserKind.CITIZEN:
        return tasks.filter(rating__application__applicant=actor)
    return tasks.filter(
        scope_q(
            actor, Perm.ANSWER_RECTIFICATION, region_field="rating__application__region", department_field="department"
        )
    )


def rectification_get_for_actor(actor: User, task_id: int) -> RectificationTask:
    task = visible_rectifications(actor).filter(pk=task_id).first()
    if task is None:
        raise NotFound()
    return task


def visible_ratings(actor: User) -> QuerySet[Rating]:
    """Citizens: their own. Staff: ratings of applications in their decide, rectification or statistics scope."""
    ratings = Rating.objects.all()
    if actor.kind == UserKind.CITIZEN:
        return ratings.filter(application__applicant=actor)
    fields = {"region_field": "application__region", "department_field": "application__department"}
    scope = scope_q(actor, Perm.VIEW_SERVICE_STATISTICS, **fields)
    scope |= scope_q(actor, Perm.ANSWER_RECTIFICATION, **fields)
    scope |= scope_q(actor, Perm.DECIDE_APPLICATION, **fields)
    return ratings.filter(scope)


@dataclass(frozen=True)
class RatingRollup:
    """Ratings of one item, department or month: how many, the mean of each indicator, how many 差评."""

    key: str
    label: str
    count: int
    efficiency: float
    guide_accuracy: float
    convenience: float
    usability: float
    overall: float
    bad_count: int


def ratings_rollup(ratings: QuerySet[Rating], *, key: str, label: str) -> list[RatingRollup]:
    """One aggregate query: group `ratings` by the `key` and `label` lookups, most ratings first."""
    rows = (
        ratings.order_by()
        .values(key, label)
        .annotate(
            n=Count("id"),
            m_efficiency=Avg("efficiency"),
            m_guide_accuracy=Avg("guide_accuracy"),
            m_convenience=Avg("convenience"),
            m_usability=Avg("usability"),
            m_overall=Avg("overall"),
            bad=Count("id", filter=Q(overall__lte=BAD_SCORE)),
        )
        .order_by("-n", key)
    )
    return [
        RatingRollup(
            key=str(row[key]),
            label=str(row[label]),
            count=row["n"],
            efficiency=float(row["m_efficiency"]),
            guide_accuracy=float(row["m_guide_accuracy"]),
            convenience=float(row["m_convenience"]),
            usability=float(row["m_usability"]),
            overall=float(row["m_overall"]),
            bad_count=row["bad"],
        )
        for row in rows
    ]


def _ratings_between(actor: User, date_from: date | None, date_to: date | None) -> QuerySet[Rating]:
    ratings = visible_ratings(actor)
    if date_from is not None:
        ratings = ratings.filter(created_at__date__gte=date_from)
    if date_to is not None:
        ratings = ratings.filter(created_at__date__lte=date_to)
    return ratings


def ratings_by_item(actor: User, *, date_from: date | None = None, date_to: date | None = None) -> list[RatingRollup]:
    ratings = _ratings_between(actor, date_from, date_to)
    return ratings_rollup(ratings, key="application__item__code", label="application__item__name")


def ratings_by_department(
    actor: User, *, date_from: date | None = None, date_to: date | None = None
) -> list[RatingRollup]:
    ratings = _ratings_between(actor, date_from, date_to)
    return ratings_rollup(ratings, key="application__department__code", label="application__department__name")


def ratings_by_month(actor: User, *, date_from: date | None = None, date_to: date | None = None) -> list[RatingRollup]:
    """Months in order; key "2026-05" (local time), label "2026年05月"."""
    ratings = _ratings_between(actor, date_from, date_to).annotate(
        month=TruncMonth("created_at", output_field=DateField())
    )
    rollups = ratings_rollup(ratings, key="month", label="month")
    return sorted(
        (replace(r, key=r.key[:7], label=f"{r.key[:4]}年{r.key[5:7]}月") for r in rollups), key=lambda r: r.key
    )


def filter_by_query(items: QuerySet[ServiceItem], query: str) -> QuerySet[ServiceItem]:
    """Items whose search tokens (``services.search``) contain every word of the query; a query of single
    characters matches names."""
    query = query.strip()[:100]
    words = query_tokens(query)
    if not words:
        return items.filter(name__contains=query) if query else items
    return items.filter(token_filter("search_tokens", words))
