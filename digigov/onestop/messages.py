"""一网通办's message kinds (统一消息). services/notify.py sends them inside the transaction of each step (workflow
hooks) and from the deadline sweep; the texts are written for their recipient (the applicant, or the staff).

Fields every applicant kind takes: item (事项名称), number (办件编号); some add due, deadline, reason.
"""

from __future__ import annotations

from digigov.core.messages import MessageKind, register_kind

BOTH = ("sms", "email")

ACCEPTED = register_kind(
    MessageKind(
        code="onestop.accepted",
        label="办件已受理",
        title="您的申请已受理",
        body="您申请的“{item}”（办件编号 {number}）已受理，承诺于{due}前办结。",
        channels=BOTH,
        default_channels=("sms",),
    )
)
CORRECTION_NEEDED = register_kind(
    MessageKind(
        code="onestop.correction_needed",
        label="办件需要补正材料",
        title="您的申请需要补正材料",
        body="您申请的“{item}”（办件编号 {number}）需要补正：{reason}。请登录平台补正后重新提交。",
        channels=BOTH,
        default_channels=("sms",),
    )
)
NOT_ACCEPTED = register_kind(
    MessageKind(
        code="onestop.not_accepted",
        label="办件不予受理",
        title="您的申请不予受理",
        body="您申请的“{item}”（办件编号 {number}）不予受理，理由：{reason}。",
        channels=BOTH,
        default_channels=("sms",),
    )
)
APPROVED = register_kind(
    MessageKind(
        code="onestop.approved",
        label="办件准予许可",
        title="您的申请已准予许可",
        body="您申请的“{item}”（办件编号 {number}）已审查通过，准予许可，正在办结。",
        channels=BOTH,
        default_channels=("sms",),
    )
)
REFUSED = register_kind(
    MessageKind(
        code="onestop.refused",
        label="办件不予许可",
        title="您的申请不予许可",
        body="您申请的“{item}”（办件编号 {number}）不予许可，理由：{reason}。"
        "如有异议，可依法申请行政复议或提起行政诉讼。",
        channels=BOTH,
        default_channels=("sms",),
    )
)
COMPLETED = register_kind(
    MessageKind(
        code="onestop.completed",
        label="办件已办结",
        title="您的申请已办结",
        body="您申请的“{item}”（办件编号 {number}）已办结。欢迎对本次服务作出评价（好差评）。",
        channels=BOTH,
        default_channels=("sms",),
    )
)
# For the handling staff (staff have no SMS: e-mail when they chose it, always in the message centre).
DEADLINE_YELLOW = register_kind(
    MessageKind(
        code="onestop.deadline_yellow",
        label="办件即将到期（黄牌）",
        title="办件即将到期：{number}",
        body="“{item}”办件 {number} 将于{due}到期，请抓紧办理。",
        channels=("email",),
        default_channels=(),
    )
)
DEADLINE_RED = register_kind(
    MessageKind(
        code="onestop.deadline_red",
        label="办件已超期（红牌）",
        title="办件已超期：{number}",
        body="“{item}”办件 {number} 已于{due}超期，请立即办理并说明原因。",
        channels=("email",),
        default_channels=("email",),
    )
)
RECTIFICATION_DUE = register_kind(
    MessageKind(
        code="onestop.rectification_due",
        label="差评整改即将到期",
        title="差评整改即将到期：{number}",
        body="办件 {number}（“{item}”）收到差评，整改期限为{due}，请在期限内完成整改并答复评价人。",
        channels=("email",),
        default_channels=("email",),
    )
)
