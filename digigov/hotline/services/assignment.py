"""Where an appeal goes: its category (from the routing model), the responsible department, and the region.

The model (digigov.hotline.routing) predicts a level-1 category with a confidence. At or above the threshold
(settings.HOTLINE_ROUTING_THRESHOLD) the appeal is dispatched at once to the category's department, with the
street of the location as 属地; below it, the appeal waits in the dispatchers' queue with the suggestions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings

from digigov.core.errors import ValidationFailed
from digigov.core.process_cache import ProcessCache
from digigov.hotline.models import Category, CategoryLevel
from digigov.identity.models import Department, Region, RegionLevel
from digigov.identity.services.org import DEPARTMENTS_CACHE, REGIONS_CACHE

CATEGORIES_CACHE = "hotline.categories"


def _load_level1() -> dict[str, Category]:
    active = Category.objects.filter(level=CategoryLevel.L1, is_active=True).select_related("department__region")
    return {c.name: c for c in active}


# The active level-1 categories with their departments, by name: what a confident model's label becomes. Kept per
# process (shared objects: read only); the taxonomy's, the departments' and the regions' writers invalidate it.
_level1: ProcessCache[dict[str, Category]] = ProcessCache(
    CATEGORIES_CACHE, _load_level1, depends_on=(DEPARTMENTS_CACHE, REGIONS_CACHE)
)


@dataclass(frozen=True)
class RoutingDecision:
    suggestions: list[dict[str, object]] = field(default_factory=list)  # [{label, confidence}], best first
    model_version: int | None = None
    category: Category | None = None  # the level-1 node of the top suggestion, when confident enough
    chosen_by_caller: bool = False

    @property
    def confidence(self) -> float | None:
        return float(self.suggestions[0]["confidence"]) if self.suggestions else None  # type: ignore[arg-type]

    @property
    def automatic(self) -> bool:
        return self.category is not None and self.category_department() is not None

    def category_department(self) -> Department | None:
        return responsible_department(self.category) if self.category is not None else None


def decide(subject: str, text: str, *, category_code: str = "") -> RoutingDecision:
    """A category the caller chose wins; otherwise ask the active routing model (its suggestions are kept either
    way). No model yet means every appeal without a chosen category goes to a dispatcher."""
    chosen = _chosen_category(category_code)
    from digigov.hotline.routing.store import active_router  # late: loads numpy/scikit-learn only when used

    router = active_router()
    if router is None:
        return RoutingDecision(category=chosen, chosen_by_caller=chosen is not None)
    suggestions = [
        {"label": s.label, "confidence": round(float(s.confidence), 4)} for s in router.suggest(subject, text)
    ]
    decision = RoutingDecision(suggestions=suggestions, model_version=router.version)
    if chosen is not None:
        return RoutingDecision(suggestions, router.version, chosen, chosen_by_caller=True)
    top = suggestions[0] if suggestions else None
    if top is None or float(str(top["confidence"])) < float(settings.HOTLINE_ROUTING_THRESHOLD):
        return decision
    category = _level1.get().get(str(top["label"]))
    return RoutingDecision(suggestions=suggestions, model_version=router.version, category=category)


def _chosen_category(code: str) -> Category | None:
    if not code:
        return None
    category = (
        Category.objects.filter(code=code, is_active=True)
        .select_related("department__region", "parent__department__region", "parent__parent__department__region")
        .first()
    )
    if category is None:
        raise ValidationFailed("诉求分类不存在", fields={"category_code": "未知的分类编码"})
    return category


def responsible_department(category: Category) -> Department | None:
    """The department named by the node or its nearest ancestor."""
    node: Category | None = category
    while node is not None:
        if node.department_id is not None:
            return node.department
        node = node.parent
    return None


def handling_region(department: Department, location: Region) -> Region:
    """属地: the street (or community) of the location when it lies in the department's region; otherwise the
    department's own region. A street office always handles in its own region."""
    if department.region.level in (RegionLevel.STREET, RegionLevel.COMMUNITY):
        return department.region
    if location.level in (RegionLevel.STREET, RegionLevel.COMMUNITY) and location.code.startswith(
        department.region.scope_prefix
    ):
        return location
    return department.region
