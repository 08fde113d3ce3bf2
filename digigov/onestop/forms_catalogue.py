"""The console's item editor (事项维护): one form for the item, a formset for its materials.

These forms check shape only (required, lengths, choices, JSON syntax). What an item must be is decided by
services.catalogue.validate_item_spec / validate_material_spec — the same checks the Excel import runs — and
their errors come back onto these fields (apply_item_error)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import Q

from digigov.core.errors import DomainError, ValidationFailed
from digigov.core.form_schema import FIELD_TYPES
from digigov.identity.forms import apply_domain_error
from digigov.identity.models import Department, Region, RegionLevel
from digigov.onestop.models import ApplicantKind, HandlingScope, ItemType, OnlineLevel, ServiceItem
from digigov.onestop.rules import FACTS, OPERATORS
from digigov.onestop.services.catalogue import (
    ALLOWED_FILE_TYPES,
    ItemSpec,
    MaterialSpec,
    item_version,
    parse_json_list,
    validate_material_spec,
)

MAX_MATERIALS = 50
EXTRA_MATERIAL_ROWS = 2
DEFAULT_FILE_TYPES = ("pdf", "jpg", "png")
FILE_TYPE_ORDER = ("pdf", "ofd", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx", "zip")
FORM_FIELDS_EXAMPLE = [
    {"name": "birth_date", "label": "出生日期", "type": "date", "required": True},
    {"name": "household_type", "label": "户口性质", "type": "choice", "options": ["城镇", "农村"]},
]
RULES_EXAMPLE = [
    {"fact": "applicant.age", "op": ">=", "value": 60},
    {"fact": "applicant.on_joint_punishment_list", "op": "is_false"},
]
# Labels of the names item_update reports as changed.
CHANGED_LABELS = {
    "name": "事项名称",
    "department": "实施部门",
    "item_type": "事项类型",
    "legal_basis": "设定依据",
    "statutory_days": "法定时限",
    "promised_days": "承诺时限",
    "fee": "收费标准",
    "fee_note": "收费说明",
    "online_level": "网办深度",
    "applicant_kind": "服务对象",
    "handling_scope": "通办范围",
    "regions": "办理区域",
    "guide": "办事指南",
    "form_fields": "申请表字段",
    "auto_approval_rules": "秒批规则",
    "materials": "申请材料",
}


def _pretty_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) if value else ""


def _choices(choices: type[Any]) -> list[tuple[str, str]]:
    return [("", "请选择"), *[(str(c.value), str(c.label)) for c in choices]]


def region_groups(regions: Iterable[Region]) -> list[tuple[Region, list[Region]]]:
    """(district, its streets) in code order; the city and anything else each as a group of its own."""
    regions = list(regions)
    listed = {r.pk for r in regions}
    streets: dict[int | None, list[Region]] = {}
    for region in regions:
        if region.level == RegionLevel.STREET:
            streets.setdefault(region.parent_id, []).append(region)
    return [
        (region, streets.get(region.pk, []))
        for region in regions
        if not (region.level == RegionLevel.STREET and region.parent_id in listed)
    ]


def region_options(selected: Iterable[str] = ()) -> list[Region]:
    """The city, districts and streets, plus any other region the item already names (e.g. a community)."""
    levels = (RegionLevel.CITY, RegionLevel.DISTRICT, RegionLevel.STREET)
    return list(Region.objects.filter(Q(level__in=levels) | Q(code__in=list(selected))).order_by("code"))


def _days_field(label: str, help_text: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=f"{label}（工作日）",
        min_value=0,
        max_value=365,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": f"请填写{label}", "invalid": "请填写 0 至 365 的整数"},
    )


class ItemForm(forms.Form):
    """Field names are ItemSpec's, so a service error's `fields` land on the right input."""

    code = forms.CharField(
        label="事项编码",
        max_length=40,
        help_text="唯一，如 210500-WJW-XK-0003；保存后不能修改",
        error_messages={"required": "请填写事项编码"},
    )
    name = forms.CharField(label="事项名称", max_length=120, error_messages={"required": "请填写事项名称"})
    department_code = forms.ChoiceField(label="实施部门", error_messages={"required": "请选择实施部门"})
    item_type = forms.ChoiceField(label="事项类型", choices=_choices(ItemType))
    legal_basis = forms.CharField(
        label="设定依据",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="法律法规名称及条款",
        error_messages={"required": "请填写设定依据"},
    )
    statutory_days = _days_field("法定时限", "0 表示当场办结")
    promised_days = _days_field("承诺时限", "不得超过法定时限；0 表示即办")
    fee = forms.CharField(
        label="收费标准（元）",
        max_length=20,
        required=False,
        help_text="不收费填 0 或留空",
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    fee_note = forms.CharField(label="收费说明", max_length=200, required=False)
    online_level = forms.ChoiceField(label="网办深度", choices=_choices(OnlineLevel))
    applicant_kind = forms.ChoiceField(label="服务对象", choices=_choices(ApplicantKind))
    handling_scope = forms.ChoiceField(
        label="通办范围",
        choices=[(str(c.value), str(c.label)) for c in HandlingScope],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择通办范围"},
    )
    region_codes = forms.MultipleChoiceField(
        label="办理区域",
        widget=forms.CheckboxSelectMultiple,
        help_text="全市通办、跨域通办选“本溪市”；属地办理选所在区县或街道（乡镇）",
        error_messages={"required": "请至少选择一个办理区域"},
    )
    guide = forms.CharField(
        label="办事指南",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="办理流程、条件、地点等，每段一行",
    )
    form_fields = forms.CharField(
        label="申请表字段（JSON）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false", "class": "code-input"}),
    )
    auto_approval_rules = forms.CharField(
        label="秒批规则（JSON）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false", "class": "code-input"}),
        help_text="全部条件成立时系统自动审批办结；不设秒批请留空",
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        departments: Iterable[Department],
        regions: Iterable[Region],
        item: ServiceItem | None = None,
        **kwargs: Any,
    ) -> None:
        if item is not None and "initial" not in kwargs:
            kwargs["initial"] = item_initial(item)
        super().__init__(*args, **kwargs)
        self.item = item
        self.regions = list(regions)
        self.fields["department_code"].choices = [  # type: ignore[attr-defined]
            ("", "请选择"),
            *[(d.code, d.name) for d in departments],
        ]
        self.fields["region_codes"].choices = [(r.code, r.name) for r in self.regions]  # type: ignore[attr-defined]
        if item is not None:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = "事项编码不能修改"
        types = "、".join(f"{code}（{ft.label_zh}）" for code, ft in FIELD_TYPES.items())
        self.fields["form_fields"].help_text = (
            f"字段列表，每个字段含 name（小写英文）、label（显示名称）、type（类型）、required（是否必填）；"
            f"类型可选：{types}。choice 需 options，number 可设 min/max，文本可设 max_length。"
        )

    # --- JSON textareas: parsed here (syntax), judged by validate_item_spec (meaning) ----------------
    def clean_form_fields(self) -> list[Any]:
        return self._json("form_fields")

    def clean_auto_approval_rules(self) -> list[Any]:
        return self._json("auto_approval_rules")

    def _json(self, name: str) -> list[Any]:
        try:
            return parse_json_list(
                self.cleaned_data.get(name) or "", field_name=name, label=str(self.fields[name].label)
            )
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.message) from exc

    def spec(self, materials: tuple[MaterialSpec, ...]) -> ItemSpec:
        data = self.cleaned_data
        return ItemSpec(
            code=self.item.code if self.item is not None else data["code"],
            name=data["name"],
            department_code=data["department_code"],
            item_type=data["item_type"],
            legal_basis=data["legal_basis"],
            statutory_days=data["statutory_days"],
            promised_days=data["promised_days"],
            fee=data["fee"],
            fee_note=data["fee_note"],
            online_level=data["online_level"],
            applicant_kind=data["applicant_kind"],
            handling_scope=data["handling_scope"],
            region_codes=tuple(data["region_codes"]),
            guide=data["guide"],
            form_fields=data["form_fields"],
            materials=materials,
            auto_approval_rules=data["auto_approval_rules"],
        )


def item_initial(item: ServiceItem) -> dict[str, Any]:
    return {
        "code": item.code,
        "name": item.name,
        "department_code": item.department.code,
        "item_type": item.item_type,
        "legal_basis": item.legal_basis,
        "statutory_days": item.statutory_days,
        "promised_days": item.promised_days,
        "fee": f"{item.fee:.2f}".removesuffix(".00"),
        "fee_note": item.fee_note,
        "online_level": item.online_level,
        "applicant_kind": item.applicant_kind,
        "handling_scope": item.handling_scope,
        "region_codes": [r.code for r in item.regions.all()],
        "guide": item.guide,
        "form_fields": _pretty_json(item.form_fields),
        "auto_approval_rules": _pretty_json(item.auto_approval_rules),
        "version": item_version(item),
    }


class MaterialForm(forms.Form):
    """One required material. A row left blank is ignored; a filled one is checked by validate_material_spec."""

    name = forms.CharField(label="材料名称", max_length=120, error_messages={"required": "请填写材料名称"})
    mandatory = forms.BooleanField(label="必须提交", required=False, initial=True)
    file_types = forms.MultipleChoiceField(
        label="接受的文件类型",
        choices=[(t, t.upper()) for t in FILE_TYPE_ORDER if t in ALLOWED_FILE_TYPES],
        widget=forms.CheckboxSelectMultiple,
        initial=list(DEFAULT_FILE_TYPES),
        error_messages={"required": "请至少选择一种文件类型"},
    )
    max_size_mb = forms.IntegerField(
        label="大小上限（MB）",
        initial=10,
        min_value=1,
        max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": "请填写大小上限", "invalid": "请填写 1 至 100 的整数"},
    )
    license_type = forms.CharField(
        label="可由电子证照替代",
        max_length=60,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors or data.get("DELETE"):
            return data
        try:
            validate_material_spec(self.material_spec())
        except ValidationFailed as exc:
            field = next(iter(exc.fields), "name")
            self.add_error(field if field in self.fields else None, exc.message)
        return data

    def material_spec(self) -> MaterialSpec:
        data = self.cleaned_data
        return MaterialSpec(
            name=data["name"].strip(),
            mandatory=data["mandatory"],
            file_types=tuple(data["file_types"]),
            max_size_mb=data["max_size_mb"],
            license_type=data.get("license_type", ""),
        )


class BaseMaterialFormSet(forms.BaseFormSet):
    def material_specs(self) -> tuple[MaterialSpec, ...]:
        """The rows kept, in order: every existing row and each new row that was filled in."""
        return tuple(
            form.material_spec()
            for index, form in enumerate(self.forms)
            if (index < self.initial_form_count() or form.has_changed())
            and form.cleaned_data
            and not form.cleaned_data.get("DELETE")
        )

    def clean(self) -> None:
        if any(self.errors):
            return
        names = [spec.name for spec in self.material_specs()]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise forms.ValidationError(f"材料名称不能重复：{'、'.join(duplicates)}")


MaterialFormSet = forms.formset_factory(
    MaterialForm,
    formset=BaseMaterialFormSet,
    extra=EXTRA_MATERIAL_ROWS,
    can_delete=True,
    max_num=MAX_MATERIALS,
    validate_max=True,
)


def material_initial(item: ServiceItem) -> list[dict[str, Any]]:
    return [
        {
            "name": m.name,
            "mandatory": m.mandatory,
            "file_types": list(m.file_types),
            "max_size_mb": m.max_size_mb,
            "license_type": m.license_type,
        }
        for m in item.materials.order_by("position", "pk")
    ]


def apply_item_error(form: ItemForm, formset: BaseMaterialFormSet, error: DomainError) -> None:
    """A service error onto the field it names; the materials' onto the materials section."""
    if "materials" in error.fields:
        formset.non_form_errors().append(error.message)
        return
    apply_domain_error(form, error)


def rule_help() -> dict[str, Any]:
    """What the 秒批 textarea may name: the registered facts, form.<字段名>, and the operators."""
    return {
        "facts": [(fact.name, fact.description_zh) for fact in FACTS.values()],
        "operators": [(op.code, op.label_zh) for op in OPERATORS.values()],
        "form_example": json.dumps(FORM_FIELDS_EXAMPLE, ensure_ascii=False),
        "rules_example": json.dumps(RULES_EXAMPLE, ensure_ascii=False),
    }
