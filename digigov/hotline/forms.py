"""Forms of the hotline's staff console: shape checks at the edge. The loop's rules (who may, in which status,
how long a reason) stay in hotline.services, whose DomainErrors the views put on these forms' fields."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from django import forms

from digigov.hotline.models import AppealCard, AppealStatus, AppealType, Satisfaction
from digigov.hotline.services.reference import CALLBACK_DAYS_RANGE, HANDLE_DAYS_RANGE, SIGN_HOURS_RANGE

TEXTAREA = {"rows": 3, "maxlength": 2000}


class IntakeForm(forms.Form):
    """The agent's form while on the phone. idempotency_key is minted when the form is drawn, so a double
    click (or a resubmitted page) finds the first appeal instead of filing a second one."""

    channel = forms.ChoiceField(label="受理渠道")
    appeal_type = forms.ChoiceField(
        label="诉求类型", choices=AppealType.choices, initial=AppealType.COMPLAINT, widget=forms.RadioSelect
    )
    subject = forms.CharField(label="诉求标题", max_length=100)
    text = forms.CharField(
        label="诉求内容",
        max_length=5000,
        help_text="边听边记：输入时下方会显示分类、承办部门建议和知识库答案",
        widget=forms.Textarea(attrs={"rows": 7, "maxlength": 5000}),
    )
    address = forms.CharField(label="事发地址", max_length=200, required=False)
    caller_name = forms.CharField(
        label="来电人姓名", max_length=30, required=False, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    caller_phone = forms.CharField(
        label="联系电话",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    confidential = forms.BooleanField(
        label="来电人要求保密", required=False, help_text="承办部门将看不到来电人的姓名和电话"
    )
    idempotency_key = forms.CharField(max_length=80, required=False, widget=forms.HiddenInput)
    answer_entry = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, channel_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = channel_choices  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", f"intake-{uuid.uuid4().hex}")
            if any(code == "phone" for code, _ in channel_choices):
                self.initial.setdefault("channel", "phone")


class RoutingForm(forms.Form):
    """派单: the category (three cascading levels; the deepest chosen wins), the department (preselected from
    the category) and, for 一单通达, a street or community that handles it directly."""

    category_l1 = forms.ChoiceField(label="一级分类", required=False)
    category_l2 = forms.ChoiceField(label="二级分类", required=False)
    category_l3 = forms.ChoiceField(label="三级分类", required=False)
    department = forms.ChoiceField(label="承办部门")
    handler_region = forms.ChoiceField(label="直派街道/社区（一单通达）", required=False)
    note = forms.CharField(label="派单说明", required=False, max_length=2000, widget=forms.Textarea(attrs=TEXTAREA))

    def __init__(
        self,
        *args: Any,
        level_choices: tuple[list[tuple[str, str]], list[tuple[str, str]], list[tuple[str, str]]],
        department_choices: list[tuple[str, str]],
        region_choices: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, choices, empty in zip(
            ("category_l1", "category_l2", "category_l3"),
            level_choices,
            ("请选择", "（不细分）", "（不细分）"),
            strict=True,
        ):
            self.fields[name].choices = [("", empty), *choices]  # type: ignore[attr-defined]
        self.fields["department"].choices = [("", "请选择承办部门"), *department_choices]  # type: ignore[attr-defined]
        self.fields["handler_region"].choices = [("", "按属地自动确定"), *region_choices]  # type: ignore[attr-defined]

    def category_code(self) -> str:
        data = self.cleaned_data
        return str(data.get("category_l3") or data.get("category_l2") or data.get("category_l1") or "")


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=2000, widget=forms.Textarea(attrs=TEXTAREA))


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="答复内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 5, "maxlength": 2000})
    )


class ExtensionForm(forms.Form):
    working_days = forms.IntegerField(label="延期工作日数", min_value=1, max_value=30, initial=3)
    reason = forms.CharField(label="延期理由", max_length=2000, widget=forms.Textarea(attrs=TEXTAREA))


class ExtensionDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        choices=[("1", "批准"), ("0", "不批准")], coerce=lambda v: v == "1", widget=forms.HiddenInput
    )
    note = forms.CharField(label="审批意见", required=False, max_length=2000)


class NoteForm(forms.Form):
    note = forms.CharField(label="督办意见", max_length=2000, widget=forms.Textarea(attrs=TEXTAREA))


class MergeForm(forms.Form):
    """并案: one POST merges one appeal under a master; both must be open and in the dispatcher's region."""

    master = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    duplicate = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class KnowledgeCloseForm(forms.Form):
    entry = forms.IntegerField(label="知识库答案", min_value=1)


class CallbackForm(forms.Form):
    result = forms.ChoiceField(label="回访结果", choices=Satisfaction.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label="回访意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2, "maxlength": 2000})
    )


WORKLIST_STATUSES = (AppealStatus.DISPATCHED, AppealStatus.SIGNED, AppealStatus.REPLIED)
CARD_CHOICES = [
    ("", "全部"),
    (AppealCard.RED.value, "红牌（已超期）"),
    (AppealCard.YELLOW.value, "黄牌（即将到期）"),
    (AppealCard.GREEN.value, "正常"),
]


class WorklistFilterForm(forms.Form):
    """GET filters; a bad value falls back to "all" instead of failing the page."""

    status = forms.ChoiceField(
        label="工单状态", required=False, choices=[("", "全部待办"), *[(s.value, s.label) for s in WORKLIST_STATUSES]]
    )
    card = forms.ChoiceField(label="时限预警", required=False, choices=CARD_CHOICES)
    category_l1 = forms.ChoiceField(label="一级分类", required=False)

    def __init__(self, *args: Any, category_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category_l1"].choices = [("", "全部分类"), *category_choices]  # type: ignore[attr-defined]

    def values(self) -> dict[str, str]:
        data = self.cleaned_data if self.is_valid() else {}
        return {k: str(data.get(k) or "") for k in ("status", "card", "category_l1")}


WINDOWS = (("7", "近7天"), ("30", "近30天"), ("90", "近90天"), ("custom", "自定义"))


class HotWindowForm(forms.Form):
    window = forms.ChoiceField(label="时间范围", choices=WINDOWS, required=False, initial="30")
    start = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if data.get("window") == "custom":
            if not start or not end:
                self.add_error("start" if not start else "end", "自定义时间范围请填写起止日期")
            elif end < start:
                self.add_error("end", "截止日期不能早于起始日期")
            elif (end - start).days > 366:
                self.add_error("end", "时间范围不能超过一年")
        return data

    def span(self, today: date) -> tuple[date, date, str]:
        """(first day, last day, the label) of the chosen window; the last 30 days unless chosen otherwise."""
        data = self.cleaned_data if self.is_valid() else {}
        window = data.get("window") or "30"
        if window == "custom" and data.get("start") and data.get("end"):
            return data["start"], data["end"], f"{data['start']:%Y-%m-%d} 至 {data['end']:%Y-%m-%d}"
        days = int(window) if window.isdigit() else 30
        return today - timedelta(days=days - 1), today, dict(WINDOWS).get(str(days), f"近{days}天")


# --- knowledge base and hotline settings (views/knowledge.py, views/settings.py) ------------------------------


class KnowledgeSearchForm(forms.Form):
    q = forms.CharField(
        label="搜索知识库",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "来电人的问题或关键词，如：公积金 异地 贷款"}),
    )

    def query(self) -> str:
        return str(self.cleaned_data.get("q") or "").strip() if self.is_valid() else ""


class KnowledgeEntryForm(forms.Form):
    """Shape only; knowledge_entry_save checks the lengths and puts its messages on these fields."""

    question = forms.CharField(
        label="问题",
        max_length=300,
        error_messages={"required": "请填写问题", "max_length": "问题不超过300字"},
        help_text="来电人通常怎么问，例如：异地缴存的公积金能在本市办理商转公吗？",
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 300}),
    )
    answer = forms.CharField(
        label="答案",
        max_length=5000,
        error_messages={"required": "请填写答案", "max_length": "答案不超过5000字"},
        help_text="话务员在电话中照读的权威答复，写明依据、办理地点和电话",
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": 5000}),
    )
    category = forms.TypedChoiceField(label="诉求分类", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, category_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "（不限分类）"), *category_choices]  # type: ignore[attr-defined]


def _limit_field(label: str, allowed: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=allowed,
        min_value=0,
        max_value=999,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class DeadlinePolicyForm(forms.Form):
    """One appeal type's time limits; deadline_policy_set checks the ranges (its messages go on the fields)."""

    sign_working_hours = _limit_field("签收时限", "{}–{} 工作小时".format(*SIGN_HOURS_RANGE))
    handle_working_days = _limit_field("办理时限", "{}–{} 工作日".format(*HANDLE_DAYS_RANGE))
    callback_working_days = _limit_field("回访时限", "{}–{} 工作日".format(*CALLBACK_DAYS_RANGE))


class ChannelToggleForm(forms.Form):
    is_active = forms.TypedChoiceField(
        choices=[("1", "启用"), ("0", "停用")], coerce=lambda v: v == "1", widget=forms.HiddenInput
    )


class ModelVersionForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class Open311ClientForm(forms.Form):
    name = forms.CharField(
        label="接入方名称",
        max_length=80,
        error_messages={"required": "请填写接入方名称"},
        help_text="对接系统的名称，例如：市数字城管平台",
    )
