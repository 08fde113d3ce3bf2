"""Citizen portal forms: the request's shape only. Whether the values are valid for the item (required
fields, formats, ranges, file types and sizes) is decided by the services and shown on these fields.

An application form is built from the item's FieldSpecs (core.form_schema); every item field is
optional at this layer so a draft may be saved half filled.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from digigov.core.errors import DomainError
from digigov.core.form_schema import FieldSpec
from digigov.identity.models import Enterprise, Region
from digigov.onestop.models.ratings import SCORE_LABELS

FIELD_PREFIX = "f_"
MATERIAL_PREFIX = "m_"
TEXT_LIMIT = 10_000  # no item field is longer; a bigger value is not a form, it is an attack


class BoolWidget(forms.CheckboxInput):
    """A checkbox that posts "false" when unchecked: a hidden input of the same name comes first and the
    checkbox (value "true"), when checked, is the last value of the name."""

    template_name = "services/portal/widgets/bool.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, check_test=lambda value: value in (True, "true", "True", "on", "1"))

    def format_value(self, value: Any) -> str:
        return "true"

    def value_from_datadict(self, data: Any, files: Any, name: str) -> str:  # type: ignore[override]
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        if not values or values == [None]:
            return ""
        return "true" if "true" in values or "on" in values else "false"

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False


def _number_inputmode(spec: FieldSpec) -> str:
    bounds = [b for b in (spec.min_value, spec.max_value) if b is not None]
    return "decimal" if any(isinstance(b, float) and not b.is_integer() for b in bounds) else "numeric"


def _plain(number: float) -> str:
    """1000000 rather than 1e+06: the range as a citizen writes it."""
    return str(int(number)) if float(number).is_integer() else format(number, "f").rstrip("0")


def spec_field(spec: FieldSpec) -> forms.Field:
    """One Django form field for one item field: the widget suits the type, the checks stay in the service."""
    attrs: dict[str, Any] = {}
    if spec.required:
        attrs["aria-required"] = "true"
    common: dict[str, Any] = {"label": spec.label, "required": False, "help_text": spec.help_text}
    limit = spec.max_length or TEXT_LIMIT
    if spec.type == "choice":
        choices = [("", "请选择"), *((o, o) for o in spec.options)]
        return forms.ChoiceField(choices=choices, widget=forms.Select(attrs=attrs), **common)
    if spec.type == "bool":
        return forms.CharField(widget=BoolWidget(attrs=attrs), **common)
    if spec.type == "textarea":
        attrs.update(rows=4, maxlength=limit)
        return forms.CharField(max_length=limit, widget=forms.Textarea(attrs=attrs), strip=False, **common)
    if spec.type == "date":
        return forms.CharField(max_length=10, widget=forms.DateInput(attrs={**attrs, "type": "date"}), **common)
    if spec.type == "number":
        attrs.update(inputmode=_number_inputmode(spec), autocomplete="off")
        if spec.min_value is not None or spec.max_value is not None:
            low = "" if spec.min_value is None else _plain(spec.min_value)
            high = "" if spec.max_value is None else _plain(spec.max_value)
            common["help_text"] = " ".join(p for p in (spec.help_text, f"取值范围：{low}～{high}") if p)
        return forms.CharField(max_length=32, widget=forms.TextInput(attrs=attrs), **common)
    extra: dict[str, dict[str, Any]] = {
        "id_number": {"autocomplete": "off", "autocapitalize": "characters", "maxlength": 18},
        "mobile": {"autocomplete": "tel", "inputmode": "tel", "maxlength": 14},
        "uscc": {"autocomplete": "off", "autocapitalize": "characters", "maxlength": 18},
        "address": {"autocomplete": "street-address", "maxlength": limit},
        "text": {"maxlength": limit},
    }
    widget_attrs = {**attrs, **extra.get(spec.type, {})}
    return forms.CharField(max_length=limit, widget=forms.TextInput(attrs=widget_attrs), **common)


def _region_choices(regions: Iterable[Region]) -> list[Any]:
    """Districts as option groups, their streets inside; the city (citywide items) first on its own."""
    flat = list(regions)
    groups: list[Any] = [("", "请选择办理区域")]
    by_parent: dict[int | None, list[Region]] = {}
    for region in flat:
        by_parent.setdefault(region.parent_id, []).append(region)
    for region in flat:
        if region.level == "city":
            groups.append((region.code, f"{region.name}（全市通办）"))
    for region in flat:
        if region.level != "district":
            continue
        streets = [(s.code, f"{region.name} · {s.name}") for s in by_parent.get(region.pk, [])]
        groups.append((region.name, [(region.code, f"{region.name}（区县）"), *streets]))
    placed = {code for group in groups[1:] for code in _codes(group)}
    loose = [(r.code, r.name) for r in flat if r.code not in placed]
    return groups + loose


def _codes(choice: Any) -> list[str]:
    value, label = choice
    return [c for c, _ in label] if isinstance(label, list) else [value]


class ApplicationForm(forms.Form):
    """Region, optional enterprise, the item's fields (prefixed f_) and one file per material (m_<id>)."""

    region = forms.ChoiceField(
        label="办理区域",
        help_text="选择您办理该事项的区县或街道",
        error_messages={"required": "请选择办理区域", "invalid_choice": "该事项不能在所选区域办理"},
    )
    enterprise = forms.ChoiceField(
        label="申请主体", required=False, error_messages={"invalid_choice": "您无权代办所选企业"}
    )

    def __init__(
        self,
        *args: Any,
        specs: Sequence[FieldSpec],
        regions: Iterable[Region],
        enterprises: Sequence[Enterprise] = (),
        legal_only: bool = False,
        allow_enterprise: bool = False,
        materials: Sequence[Any] = (),
        fixed_subject: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.specs = list(specs)
        self.materials = list(materials)
        self.region_objects = {r.code: r for r in regions}
        self.fields["region"].choices = _region_choices(self.region_objects.values())  # type: ignore[attr-defined]
        self.enterprise_objects = {str(e.pk): e for e in enterprises}
        if fixed_subject:
            del self.fields["region"]
            del self.fields["enterprise"]
        elif allow_enterprise and enterprises:
            personal = [] if legal_only else [("", "以个人名义申请")]
            choices = personal + [(str(e.pk), f"{e.name}（企业代办）") for e in enterprises]
            if legal_only:
                choices = [("", "请选择代办的企业"), *choices]
                self.fields["enterprise"].help_text = "该事项的服务对象为法人，请选择您代办的企业"
            self.fields["enterprise"].choices = choices  # type: ignore[attr-defined]
        else:
            del self.fields["enterprise"]
        for spec in self.specs:
            self.fields[FIELD_PREFIX + spec.name] = spec_field(spec)
        self.required_names = {FIELD_PREFIX + spec.name for spec in self.specs if spec.required}
        self.required_names |= {"region"} | ({"enterprise"} if legal_only else set())
        self.required_names |= {self.material_field(m) for m in self.materials if m.mandatory}
        for material in self.materials:
            accept = ",".join(f".{t}" for t in material.file_types)
            self.fields[self.material_field(material)] = forms.FileField(
                label=material.name,
                required=False,
                help_text=f"格式：{'、'.join(t.upper() for t in material.file_types)}；不超过 {material.max_size_mb}MB",
                widget=forms.ClearableFileInput(attrs={"accept": accept}),
            )

    # --- names ----------------------------------------------------------------------------------------
    def material_field(self, material: Any) -> str:
        return f"{MATERIAL_PREFIX}{self.materials.index(material)}"

    # --- what the services receive ----------------------------------------------------------------------
    @property
    def item_fields(self) -> list[forms.BoundField]:
        return [self[FIELD_PREFIX + spec.name] for spec in self.specs]

    @property
    def material_fields(self) -> list[tuple[Any, forms.BoundField]]:
        return [(m, self[self.material_field(m)]) for m in self.materials]

    def form_data(self) -> dict[str, object]:
        data: dict[str, object] = {}
        for spec in self.specs:
            value = self.cleaned_data.get(FIELD_PREFIX + spec.name, "")
            if isinstance(value, str) and not value.strip():
                continue
            data[spec.name] = value
        return data

    def chosen_region(self) -> Region:
        return self.region_objects[self.cleaned_data["region"]]

    def chosen_enterprise(self) -> Enterprise | None:
        key = self.cleaned_data.get("enterprise") or ""
        return self.enterprise_objects.get(key)

    def uploads(self) -> list[tuple[Any, UploadedFile]]:
        chosen = []
        for material in self.materials:
            upload = self.cleaned_data.get(self.material_field(material))
            if isinstance(upload, UploadedFile):
                chosen.append((material, upload))
        return chosen

    # --- errors from the services ---------------------------------------------------------------------
    def add_domain_error(self, error: DomainError, *, material: Any = None) -> None:
        """Place a service's message on the field it names; a material's file error on that file input."""
        if material is not None:
            self.add_error(self.material_field(material), error.message)
            return
        placed = False
        by_name = {m.name: m for m in self.materials}
        for name, reason in error.fields.items():
            target = name if name in ("region", "enterprise") else FIELD_PREFIX + name
            if name in by_name:
                self.add_error(self.material_field(by_name[name]), reason)
                placed = True
            elif target in self.fields:
                self.add_error(target, reason)
                placed = True
            elif name == "materials":
                placed = self._material_missing(reason) or placed
        if (not placed or len(error.fields) != 1) and error.message not in self.non_field_errors():
            self.add_error(None, error.message)

    def _material_missing(self, names: str) -> bool:
        placed = False
        for material in self.materials:
            if material.name in names.split("、"):
                self.add_error(self.material_field(material), f"请上传「{material.name}」")
                placed = True
        return placed


def bind_initial(form_data: Mapping[str, object], region_code: str, enterprise_id: int | None) -> dict[str, object]:
    """Initial values for re-opening a draft or a 补正."""
    initial: dict[str, object] = {FIELD_PREFIX + k: ("true" if v is True else v) for k, v in form_data.items()}
    initial["region"] = region_code
    initial["enterprise"] = str(enterprise_id) if enterprise_id else ""
    return initial


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="撤回原因",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
        help_text="选填，便于我们改进服务",
    )


SCORE_CHOICES = [(str(score), label) for score, label in sorted(SCORE_LABELS.items(), reverse=True)]
RATING_ASPECTS = (
    ("efficiency", "办事效率"),
    ("guide_accuracy", "办事指南精确度"),
    ("convenience", "办事便捷度"),
    ("usability", "平台操作性"),
)


class RatingForm(forms.Form):
    efficiency = forms.TypedChoiceField(label="办事效率", coerce=int, choices=SCORE_CHOICES, widget=forms.RadioSelect)
    guide_accuracy = forms.TypedChoiceField(
        label="办事指南精确度", coerce=int, choices=SCORE_CHOICES, widget=forms.RadioSelect
    )
    convenience = forms.TypedChoiceField(
        label="办事便捷度", coerce=int, choices=SCORE_CHOICES, widget=forms.RadioSelect
    )
    usability = forms.TypedChoiceField(label="平台操作性", coerce=int, choices=SCORE_CHOICES, widget=forms.RadioSelect)
    comment = forms.CharField(
        label="意见建议",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in RATING_ASPECTS:
            self.fields[name].error_messages["required"] = f"请为「{label}」打分"

    @property
    def aspects(self) -> list[forms.BoundField]:
        return [self[name] for name, _ in RATING_ASPECTS]
