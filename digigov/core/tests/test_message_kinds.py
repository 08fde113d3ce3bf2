"""Every domain's kinds are registered at start-up with Chinese texts that render from their named fields."""

from __future__ import annotations

import re

from digigov.core.messages import kind_get, kinds

EXPECTED = {
    "onestop.accepted", "onestop.correction_needed", "onestop.not_accepted", "onestop.approved", "onestop.refused",
    "onestop.completed", "onestop.deadline_yellow", "onestop.deadline_red", "onestop.rectification_due",
    "hotline.reply_given", "hotline.callback_due", "hotline.deadline_yellow", "hotline.deadline_red",
    "identity.agent_invited", "security.locked", "security.device_added", "security.password_reset",
    "security.unlocked", "security.totp_reset",
}
HAN = re.compile(r"[\u4e00-\u9fff]")


def test_every_listed_event_has_a_registered_kind_in_chinese() -> None:
    registered = {spec.code for spec in kinds()}
    assert registered >= EXPECTED
    for code in EXPECTED:
        spec = kind_get(code)
        title, body = spec.render({name: "〔值〕" for name in spec.fields})
        assert HAN.search(title) and HAN.search(body) and HAN.search(spec.label), code
        assert "{" not in title + body, code


def test_security_notices_cannot_be_turned_off_and_others_can() -> None:
    assert not kind_get("security.locked").optional
    assert kind_get("onestop.accepted").optional and kind_get("hotline.reply_given").optional
    assert kind_get("onestop.deadline_red").channels == ("email",), "staff have no SMS"
