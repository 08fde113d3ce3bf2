"""The demo hotline as pure data: channels, who handles each category, time limits, and how the public message
board's anonymised places ("A市A3区") become the demo city's."""

from __future__ import annotations

import re
from typing import Final

from digigov.hotline.models import AppealType

CHANNELS: Final = (
    # (code, name, agent_entered)
    ("phone", "12345 电话", True),
    ("web", "网上留言(政府网站)", False),
    ("mobile", "移动端(“i本溪”APP/小程序)", False),
    ("api", "部门系统对接(API)", False),
    ("open311", "Open311 接入", False),
)

# Level-1 (and some level-2) categories → the city department that answers for them (the demo city's codes).
CATEGORY_DEPARTMENTS: Final[dict[str, str]] = {
    "城乡建设": "zjj",
    "城乡建设/城市建设和市政管理": "zhzfj",
    "城乡建设/安全生产": "yjglj",
    "城乡建设/城乡规划": "zrzyj",
    "环境保护": "sthjj",
    "交通运输": "jtysj",
    "教育文体": "jyj",
    "教育文体/体育": "tyj",
    "教育文体/文化": "wlgdj",
    "教育文体/文物管理": "wlgdj",
    "劳动和社会保障": "rsj",
    "商贸旅游": "scjgj",
    "商贸旅游/商业贸易": "swj",
    "商贸旅游/旅游管理": "wlgdj",
    "卫生计生": "wjw",
    "卫生计生/食品药品监管": "scjgj",
    "党务政务": "zfb",
    "农村农业": "nyncj",
    "农村农业/水利水电": "slj",
    "国土资源": "zrzyj",
    "政法": "gaj",
    "政法/法律服务": "sfj",
    "民政": "mzj",
    "民政/复退安置": "tyjrswj",
    "民政/优抚": "tyjrswj",
    "科技与信息产业": "gxj",
    "科技与信息产业/科学技术": "kjj",
    "纪检监察": "xfj",
    "经济管理": "fgw",
    "经济管理/国资监管": "gzw",
    "经济管理/安全生产": "yjglj",
    "经济管理/金融财税": "czj",
}

DEADLINES: Final = (
    # (type, 签收 working hours, 办理 working days, 回访 working days)
    (AppealType.CONSULTATION, 2, 3, 2),
    (AppealType.HELP, 2, 5, 2),
    (AppealType.COMPLAINT, 2, 5, 2),
    (AppealType.REPORT, 2, 10, 2),
    (AppealType.SUGGESTION, 4, 10, 3),
)

# The message board's anonymised places → the demo city's districts and counties.
PLACE_NAMES: Final[dict[str, str]] = {
    "A市": "本溪市",
    "A1区": "平山区",
    "A2区": "溪湖区",
    "A3区": "明山区",
    "A4区": "南芬区",
    "A5区": "平山区",
    "A6区": "明山区",
    "A7县": "本溪满族自治县",
    "A8县": "桓仁满族自治县",
    "A9市": "本溪满族自治县",
}
_PLACE_RE = re.compile("|".join(sorted(map(re.escape, PLACE_NAMES), key=len, reverse=True)))


def localise(text: str) -> str:
    """ "A市A3区某小区" → "本溪市明山区某小区"."""
    return _PLACE_RE.sub(lambda m: PLACE_NAMES[m.group(0)], text)


def guess_type(subject: str, text: str) -> str:
    """The message board has no type: a plain keyword reading for the demo."""
    head = subject + text[:60]
    if "举报" in head:
        return AppealType.REPORT
    if "建议" in head:
        return AppealType.SUGGESTION
    if any(w in head for w in ("咨询", "请问", "能否", "是否", "怎么办理", "如何")):
        return AppealType.CONSULTATION
    if any(w in head for w in ("求助", "救救", "帮帮")):
        return AppealType.HELP
    return AppealType.COMPLAINT


DEMO_CALLERS: Final = (
    ("刘淑珍", "13841412786"),
    ("王海峰", "15241466093"),
    ("孙玉梅", "13700145529"),
    ("赵振东", "18741405218"),
    ("李春霞", "13591414470"),
    ("张立伟", "15998140371"),
    ("陈秀英", "13804142695"),
    ("杨光辉", "18241419836"),
    ("周丽娜", "13464140752"),
    ("吴国庆", "02444213687"),
)

REPLY_OPENING: Final = "来电人您好！您反映的问题已收悉。"
REPLY_TEMPLATES: Final = (
    "经我单位工作人员现场核实，情况属实，已责令相关单位立即整改，并将持续跟踪整改落实情况。感谢您的监督！",
    "经调查，您反映的问题涉及历史遗留原因，我单位已会同属地街道制定整改方案，预计30日内完成，届时将再次联系您。",
    "经核查，相关单位的做法符合现行政策规定，具体政策依据已向您电话解释说明。如仍有疑问，可拨打12345热线咨询。",
)
