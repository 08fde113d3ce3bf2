"""12345's message kinds (统一消息). services/notify.py sends them: the reply, and the sweep's deadline and
callback notices.

The caller hears of the reply when they filed with an account (web or mobile); handlers and callback staff hear of
their deadlines. Fields: number (工单编号), title (诉求标题), and due or department where named.
"""

from __future__ import annotations

from digigov.core.messages import MessageKind, register_kind

REPLY_GIVEN = register_kind(
    MessageKind(
        code="hotline.reply_given",
        label="12345诉求已答复",
        title="您的12345诉求已答复",
        body="您反映的“{title}”（工单编号 {number}）已由{department}答复，请登录查看答复内容；稍后可能有工作人员回访。",
        channels=("sms", "email"),
        default_channels=("sms",),
    )
)
CALLBACK_DUE = register_kind(
    MessageKind(
        code="hotline.callback_due",
        label="工单待回访",
        title="工单待回访：{number}",
        body="工单 {number}（“{title}”）已答复，请于{due}前完成回访。",
        channels=("email",),
        default_channels=(),
    )
)
DEADLINE_YELLOW = register_kind(
    MessageKind(
        code="hotline.deadline_yellow",
        label="工单即将到期（黄牌）",
        title="工单即将到期：{number}",
        body="工单 {number}（“{title}”）的{stage}期限为{due}，请抓紧办理。",
        channels=("email",),
        default_channels=(),
    )
)
DEADLINE_RED = register_kind(
    MessageKind(
        code="hotline.deadline_red",
        label="工单已超期（红牌）",
        title="工单已超期：{number}",
        body="工单 {number}（“{title}”）的{stage}已于{due}超期，请立即办理。",
        channels=("email",),
        default_channels=("email",),
    )
)
