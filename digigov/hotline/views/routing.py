"""The dispatch form's routing fields: three cascading category levels, the department preselected from the
category, and the streets and communities of that department's region for 一单通达.

The fields are drawn by the server from the current choice, both on the appeal page and when htmx asks for
them again after a select changed (routing_fields), so the cascade needs no script of its own and the form
still posts without JavaScript (the level-1 choice alone is enough)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from digigov.hotline.forms import RoutingForm
from digigov.hotline.models import Appeal, Category
from digigov.hotline.selectors import category_tree, level1_categories
from digigov.hotline.services.assignment import responsible_department
from digigov.identity.models import Department, RegionLevel
from digigov.identity.permissions import Perm
from digigov.identity.policies import access
from digigov.identity.selectors import department_by_id, departments_list, regions_inside

CATEGORY_FIELDS = ("category_l1", "category_l2", "category_l3")


@dataclass(frozen=True)
class RoutingChoice:
    """What the dispatcher has chosen so far (codes, a department id, a region code)."""

    l1: str = ""
    l2: str = ""
    l3: str = ""
    department: str = ""
    handler_region: str = ""


def _children(parent: Category | None) -> list[Category]:
    if parent is None:
        return []
    return list(category_tree().filter(parent=parent).order_by("code"))


def department_choices() -> list[tuple[str, str]]:
    departments = departments_list().order_by("region__code", "code")
    return [(str(d.pk), d.name) for d in departments]


def region_choices(department: Department | None) -> list[tuple[str, str]]:
    """Streets and communities inside the department's region (the whole city for a city department)."""
    if department is None:
        return []
    regions = regions_inside([department.region], [RegionLevel.STREET, RegionLevel.COMMUNITY]).select_related("parent")
    return [
        (r.code, f"{r.parent.name} · {r.name}" if r.level == RegionLevel.COMMUNITY and r.parent else r.name)
        for r in regions
    ]


def initial_choice(appeal: Appeal) -> RoutingChoice:
    """The appeal's category if it has one, else the model's top suggestion; its department."""
    node = appeal.category
    if node is None and appeal.suggestions:
        label = str(appeal.suggestions[0].get("label", ""))
        node = level1_categories().filter(name=label).first()
    codes = ["", "", ""]
    walk = node
    while walk is not None:
        codes[walk.level - 1] = walk.code
        walk = walk.parent
    department = appeal.department or (responsible_department(node) if node is not None else None)
    return RoutingChoice(codes[0], codes[1], codes[2], str(department.pk) if department else "")


def choice_from(data: Mapping[str, str]) -> RoutingChoice:
    """The choice posted by the form; a changed level clears the levels below it, and a changed category
    preselects its department again."""
    changed = data.get("changed", "")
    l1, l2, l3 = (str(data.get(f, "")) for f in CATEGORY_FIELDS)
    if changed == "category_l1":
        l2 = l3 = ""
    elif changed == "category_l2":
        l3 = ""
    department = str(data.get("department", ""))
    if changed in CATEGORY_FIELDS:
        department = ""
    return RoutingChoice(l1, l2, l3, department, str(data.get("handler_region", "")))


def build_form(choice: RoutingChoice, data: Mapping[str, str] | None = None) -> RoutingForm:
    """The routing form for a choice: options of each level below the chosen parent, the department of the
    deepest chosen category unless one was picked, and that department's streets and communities. With
    data, the form is bound (for validation); without, the choice is its initial value."""
    roots = list(level1_categories().order_by("code"))
    l1 = next((c for c in roots if c.code == choice.l1), None)
    level2 = _children(l1)
    l2 = next((c for c in level2 if c.code == choice.l2), None)
    level3 = _children(l2)
    l3 = next((c for c in level3 if c.code == choice.l3), None)
    deepest = l3 or l2 or l1
    departments = department_choices()
    department = None
    if choice.department.isdigit():
        department = department_by_id(int(choice.department))
    if department is None and deepest is not None:
        department = responsible_department(deepest)
    initial = {
        "category_l1": l1.code if l1 else "",
        "category_l2": l2.code if l2 else "",
        "category_l3": l3.code if l3 else "",
        "department": str(department.pk) if department else "",
        "handler_region": choice.handler_region,
    }
    return RoutingForm(
        data,
        initial=initial,
        level_choices=(
            [(c.code, c.name) for c in roots],
            [(c.code, c.name) for c in level2],
            [(c.code, c.name) for c in level3],
        ),
        department_choices=departments,
        region_choices=region_choices(department),
    )


@access(Perm.HOTLINE_DISPATCH)
@require_GET
def routing_fields(request: HttpRequest) -> HttpResponse:
    """htmx: the routing fields again after one of the selects changed."""
    choice = choice_from(request.GET)
    return render(request, "hotline/console/_routing_fields.html", {"routing": build_form(choice)})

