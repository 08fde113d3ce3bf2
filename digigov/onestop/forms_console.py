"""Forms of the staff console (一网通办 工作台): shape checks at the edge; the services decide the rest."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from digigov.onestop.models import ApplicationStatus, DeadlineFlag

OPEN = "open"
ALL = "all"
STATUS_CHOICES = [
    (OPEN, "待办（未办结）"),
    *[(value, label) for value, label in ApplicationStatus.choices if value != ApplicationStatus.DRAFT],
    (ALL, "全部"),
]
CARD_CHOICES = [
    ("", "全部"),
    (DeadlineFlag.RED.value, "红牌（已超期）"),
    (DeadlineFlag.YELLOW.value, "黄牌（即将到期）"),
    (DeadlineFlag.GREEN.value, "正常"),
    (DeadlineFlag.PAUSED.value, "暂停（补正中）"),
]
REASON_MIN = 4


class FastSelect(forms.Select):
    """A select whose options are joined in Python instead of rendered by one template each: the worklist's
    item filter has hundreds of options and rendered them in ~25 ms per page (bench/bench_services_pages.py)."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = "" if value is None else str(value)
        options = "".join(
            f'<option value="{escape(v)}"{" selected" if str(v) == chosen else ""}>{escape(label)}</option>'
            for v, label in self.choices
        )
        return mark_safe(f"<select{flatatt(final)}>{options}</select>")  # noqa: S308 (every value escaped)


class WorklistFilterForm(forms.Form):
    """GET filters; bad values fall back to the defaults instead of failing the page."""

    status = forms.ChoiceField(label="办件状态", choices=STATUS_CHOICES, required=False)
    card = forms.ChoiceField(label="时限预警", choices=CARD_CHOICES, required=False)
    item = forms.ChoiceField(label="事项", required=False, widget=FastSelect)
    region = forms.ChoiceField(label="办理区域", required=False, widget=FastSelect)

    def __init__(
        self, *args: Any, item_choices: list[tuple[str, str]], region_choices: list[tuple[str, str]], **kw: Any
    ):
        super().__init__(*args, **kw)
        self.fields["item"].choices = [("", "全部事项"), *item_choices]  # type: ignore[attr-defined]
        self.fields["region"].choices = [("", "全部区域"), *region_choices]  # type: ignore[attr-defined]

    def values(self) -> dict[str, str]:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "status": data.get("status") or OPEN,
            "card": data.get("card") or "",
            "item": data.get("item") or "",
            "region": data.get("region") or "",
        }


class ActionForm(forms.Form):
    """One staff action on an application. `status` is the status the page showed: if the application has
    moved on meanwhile, the action is refused as a conflict rather than applied to a state nobody saw."""

    action = forms.ChoiceField(
        choices=[
            (a, a) for a in ("accept", "reject", "request_correction", "start_review", "approve", "refuse", "complete")
        ]
    )
    status = forms.CharField(max_length=14)
    reason = forms.CharField(label="理由", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    comment = forms.CharField(
        label="审批意见", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    NEEDS_REASON = {"reject": "不予受理", "request_correction": "补正告知", "refuse": "不予许可"}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        if action in self.NEEDS_REASON and len((data.get("reason") or "").strip()) < REASON_MIN:
            self.add_error("reason", f"{self.NEEDS_REASON[action]}必须写明理由（至少{REASON_MIN}个字）")
        return data


ANSWER_MIN = 10  # services.ratings.ANSWER_MIN decides; this only spares a round trip


class RectificationAnswerForm(forms.Form):
    answer = forms.CharField(
        label="整改答复",
        min_length=ANSWER_MIN,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="说明问题原因、已采取的整改措施，以及对办事人的回复",
        error_messages={"required": "请填写整改答复", "min_length": f"整改答复至少{ANSWER_MIN}个字"},
    )


class StatisticsFilterForm(forms.Form):
    date_from = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "截止日期不能早于起始日期")
        return data


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label="搜索事项", max_length=100, required=False)
    department = forms.ChoiceField(label="部门", required=False)

    def __init__(self, *args: Any, department_choices: list[tuple[str, str]], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["department"].choices = [("", "全部部门"), *department_choices]  # type: ignore[attr-defined]


class CatalogueImportForm(forms.Form):
    workbook = forms.FileField(
        label="事项目录 Excel 文件（.xlsx）",
        help_text="请使用“导出 Excel”得到的模板；任何一行有误时不会写入任何数据",
        error_messages={"required": "请选择要导入的 Excel 文件"},
    )

    MAX_BYTES = 10 * 1024 * 1024

    def clean_workbook(self) -> Any:
        upload = self.cleaned_data["workbook"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("只接受 .xlsx 格式的 Excel 文件")
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("文件不能超过 10MB")
        return upload


class CalendarDayForm(forms.Form):
    day = forms.DateField(
        label="日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "请选择日期", "invalid": "请输入有效日期，例如 2027-01-01"},
    )
    is_working_day = forms.TypedChoiceField(
        label="当天",
        choices=[("0", "放假"), ("1", "上班（调休）")],
        coerce=lambda v: v == "1",
        error_messages={"required": "请选择放假或上班"},
    )
    name = forms.CharField(
        label="名称",
        max_length=60,
        help_text="例如“春节”或“国庆节调休上班”",
        error_messages={"required": "请填写名称，例如“春节”或“国庆节调休上班”"},
    )


class CalendarPublishForm(forms.Form):
    """A whole year's arrangement, one day per line: 2027-01-01 放假 元旦 / 2027-02-07 上班 春节调休上班."""

    year = forms.IntegerField(widget=forms.HiddenInput)
    days = forms.CharField(
        label="全年节假日安排",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
        help_text="每行一天：日期 放假/上班 名称，例如“2027-01-01 放假 元旦”“2027-02-07 上班 春节调休上班”。"
        "发布后以此替换该年全部例外日，并将该年标记为已录入。",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        year = data.get("year")
        parsed: list[tuple[date, bool, str]] = []
        problems: list[str] = []
        for number, line in enumerate((data.get("days") or "").splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            parts = line.split(None, 2)
            if len(parts) < 3 or parts[1] not in ("放假", "上班"):
                problems.append(f"第{number}行格式应为“日期 放假/上班 名称”")
                continue
            try:
                day = date.fromisoformat(parts[0])
            except ValueError:
                problems.append(f"第{number}行日期“{parts[0]}”无效")
                continue
            if year is not None and day.year != year:
                problems.append(f"第{number}行日期不在{year}年")
                continue
            parsed.append((day, parts[1] == "上班", parts[2]))
        if problems:
            self.add_error("days", "；".join(problems[:10]))
        data["parsed_days"] = parsed
        return data
