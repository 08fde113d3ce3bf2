"""Demo catalogue of 政务服务事项 and 一件事 bundles for 本溪市.

Pure data and small pure functions; no Django imports. A loader turns these seeds into ServiceItem,
RequiredMaterial, Bundle and BundleItem rows (see services.models.catalogue / services.models.bundles).

Conventions:

* Item codes: ``210500-<DEPT>-<TYPE>-<serial>``: six-digit city code, department abbreviation, item-type
  abbreviation (ITEM_TYPE_ABBREVIATIONS, e.g. XK 行政许可) and a four-digit serial within the department.
* Time limits are 工作日 counted from 受理. ``promised_days == 0`` means 即办 (completed on the spot or
  by 秒批); ``statutory_days == 0`` means the law itself requires 当场办结 (e.g. 婚姻登记, 备案).
  Where the law counts calendar days (日 / 个月) the number is kept as the law states it.
* ``fee`` is a decimal string in yuan; "0" is 不收费.
* ``region_codes``: citywide and cross_region items list the city code (the whole city); local items
  list the county / township regions where they are handled.
* Identity facts (name, 身份证号, mobile of the applicant; USCC of an applying enterprise) are not form
  fields: the platform already holds them. Fields shared by items of a bundle carry the same ``name``,
  ``type`` and ``label`` so the bundle form asks them once; the same holds for material names.
* ``MaterialSeed.license_type`` names the 电子证照 type that can satisfy the material; it is set wherever
  the document is issued by a government body or public institution.
* Auto-approval (秒批) rules are conjunctive: the application is approved at once only when every rule holds.
  Values for ``in`` / ``not_in`` are tuples (stored as JSON lists); ``is_true`` / ``is_false`` take None.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final

# ---------------------------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------------------------

FIELD_TYPES: Final[tuple[str, ...]] = (
    "text",
    "textarea",
    "number",
    "date",
    "choice",
    "bool",
    "id_number",
    "mobile",
    "uscc",
    "address",
)
ITEM_TYPES: Final[tuple[str, ...]] = (
    "licensing",
    "confirmation",
    "benefit",
    "award",
    "ruling",
    "other_power",
    "public_service",
)
# The type part of an item code.
ITEM_TYPE_ABBREVIATIONS: Final[dict[str, str]] = {
    "licensing": "XK",  # 行政许可
    "confirmation": "QR",  # 行政确认
    "benefit": "JF",  # 行政给付
    "award": "JL",  # 行政奖励
    "ruling": "CJ",  # 行政裁决
    "other_power": "QT",  # 其他行政权力 (备案 etc.)
    "public_service": "GG",  # 公共服务
}
ONLINE_LEVELS: Final[tuple[str, ...]] = ("full", "pre_review", "offline")
APPLICANT_KINDS: Final[tuple[str, ...]] = ("person", "legal", "both")
HANDLING_SCOPES: Final[tuple[str, ...]] = ("local", "citywide", "cross_region")

RULE_OPS: Final[tuple[str, ...]] = ("==", "!=", ">=", "<=", ">", "<", "in", "not_in", "is_true", "is_false")
# Facts the platform holds about the applicant; "form.<field name>" refers to the item's own form.
APPLICANT_FACTS: Final[dict[str, str]] = {
    "applicant.age": "number",  # derived from the 身份证号
    "applicant.on_joint_punishment_list": "bool",  # 失信联合惩戒对象名单
    "applicant.kind": "choice",  # "person" / "legal"
}
APPLICANT_KIND_VALUES: Final[tuple[str, ...]] = ("person", "legal")

# 电子证照 types that can stand in for an uploaded material.
LICENSE_TYPES: Final[tuple[str, ...]] = (
    "居民身份证",
    "户口簿",
    "居住证",
    "结婚证",
    "出生医学证明",
    "居民死亡医学证明书",
    "火化证明",
    "社会保障卡",
    "残疾人证",
    "退役证",
    "机动车驾驶证",
    "营业执照",
    "不动产权证书",
    "完税证明",
    "建设用地规划许可证",
    "建设工程规划许可证",
    "建筑工程施工许可证",
    "设置医疗机构批准书",
    "医疗机构执业许可证",
    "医师资格证书",
    "执业药师注册证",
    "职业技能等级证书",
    "普通话水平测试等级证书",
    "道路运输从业人员从业资格证",
    "公众聚集场所投入使用、营业前消防安全检查合格证",
    "安全生产知识和管理能力考核合格证",
)

CITY_CODE: Final = "210500000000"
_CITY: Final[tuple[str, ...]] = (CITY_CODE,)
# The six districts and counties (平山区, 溪湖区, 明山区, 南芬区, 本溪县, 桓仁县).
_COUNTIES: Final[tuple[str, ...]] = (
    "210502000000",
    "210503000000",
    "210504000000",
    "210505000000",
    "210521000000",
    "210522000000",
)
# Townships (镇) where rural items (宅基地, 乡村建设规划) are handled.
_TOWNSHIPS: Final[tuple[str, ...]] = (
    "210502006000",  # 桥头镇
    "210503006000",  # 歪头山镇
    "210521001000",  # 小市镇
    "210521002000",  # 草河口镇
    "210521003000",  # 田师付镇
    "210521004000",  # 南甸镇
    "210521005000",  # 碱厂镇
    "210522001000",  # 桓仁镇
    "210522002000",  # 普乐堡镇
    "210522003000",  # 二棚甸子镇
    "210522004000",  # 沙尖子镇
    "210522005000",  # 五里甸子镇
)


# ---------------------------------------------------------------------------------------------------------
# Seed types
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldSeed:
    name: str  # ASCII snake_case, unique within an item
    label: str
    type: str  # one of FIELD_TYPES
    required: bool = True
    options: tuple[str, ...] = ()  # choice fields only
    max_length: int | None = None
    min: float | None = None  # number fields only
    max: float | None = None
    help: str = ""


@dataclass(frozen=True)
class MaterialSeed:
    name: str
    mandatory: bool = True
    file_types: tuple[str, ...] = ("pdf", "jpg", "png")
    max_size_mb: int = 10
    license_type: str = ""  # 电子证照 type that satisfies it (LICENSE_TYPES), "" when none


@dataclass(frozen=True)
class RuleSeed:
    fact: str  # "applicant.age", "applicant.on_joint_punishment_list", "applicant.kind", "form.<field>"
    op: str  # one of RULE_OPS
    value: object  # number / str for comparisons, tuple for in / not_in, None for is_true / is_false


@dataclass(frozen=True)
class ItemSeed:
    code: str
    name: str
    department_code: str  # demo_city.DEPARTMENTS code
    item_type: str
    legal_basis: str
    statutory_days: int  # 法定时限 (工作日); 0: 当场办结
    promised_days: int  # 承诺时限 (工作日); 0: 即办
    fee: str  # yuan, decimal string; "0": 不收费
    fee_note: str
    online_level: str
    applicant_kind: str
    handling_scope: str
    region_codes: tuple[str, ...]
    guide: str
    fields: tuple[FieldSeed, ...]
    materials: tuple[MaterialSeed, ...]
    auto_approval: tuple[RuleSeed, ...] = ()


@dataclass(frozen=True)
class BundleSeed:
    code: str  # slug
    name: str
    description: str
    item_codes: tuple[str, ...]


# ---------------------------------------------------------------------------------------------------------
# Shared form fields (same name → same type, label and options everywhere)
# ---------------------------------------------------------------------------------------------------------

_F_BUSINESS_NAME = FieldSeed("business_name", "经营主体名称", "text", max_length=100, help="企业、个体工商户或单位全称")
_F_BUSINESS_ADDRESS = FieldSeed("business_address", "经营场所地址", "address", max_length=200)
_F_AREA = FieldSeed("operating_area_sqm", "经营面积(平方米)", "number", min=1, max=1_000_000)
_F_REP_PHONE = FieldSeed("legal_rep_phone", "法定代表人(负责人)联系电话", "mobile")
_F_SCOPE = FieldSeed("business_scope", "经营范围", "textarea", max_length=2000, help="按经营范围规范表述目录选择填写")
_F_EMPLOYEES = FieldSeed("employee_count", "从业人员数", "number", min=0, max=1_000_000)
_F_CAPITAL = FieldSeed("registered_capital_wan", "注册资本(万元)", "number", min=0.01, max=10_000_000)
_F_BANK = FieldSeed("bank_name", "开户银行", "text", max_length=60, help="待遇或补贴发放账户的开户行全称")
_F_ACCOUNT = FieldSeed("bank_account", "银行账号", "text", max_length=32)
_F_HOME = FieldSeed("residential_address", "现居住地址", "address", max_length=200)
_F_MAILING = FieldSeed("mailing_address", "邮寄地址", "address", required=False, max_length=200, help="选择邮寄时填写")
_F_DELIVERY = FieldSeed("delivery_method", "领取方式", "choice", options=("邮寄到家", "窗口自取"))
_F_CARD_BANK = FieldSeed(
    "card_bank",
    "服务银行",
    "choice",
    options=("中国工商银行", "中国农业银行", "中国银行", "中国建设银行", "交通银行", "中国邮政储蓄银行"),
)

_F_BABY_NAME = FieldSeed("baby_name", "新生儿姓名", "text", max_length=30)
_F_BABY_GENDER = FieldSeed("baby_gender", "新生儿性别", "choice", options=("男", "女"))
_F_BABY_BIRTH = FieldSeed("baby_birth_date", "新生儿出生日期", "date")
_F_BIRTH_HOSPITAL = FieldSeed("birth_hospital", "出生医疗机构", "text", max_length=100)
_F_BABY_RELATION = FieldSeed(
    "relationship_to_baby", "申请人与新生儿关系", "choice", options=("母亲", "父亲", "其他监护人")
)

_F_DECEASED_NAME = FieldSeed("deceased_name", "逝者姓名", "text", max_length=30)
_F_DECEASED_ID = FieldSeed("deceased_id_number", "逝者公民身份号码", "id_number")
_F_DEATH_DATE = FieldSeed("death_date", "死亡日期", "date")
_F_DECEASED_RELATION = FieldSeed(
    "relationship_to_deceased", "申请人与逝者关系", "choice", options=("配偶", "子女", "父母", "其他近亲属")
)

_F_RETIREMENT_DATE = FieldSeed("retirement_date", "退休日期", "date")

_F_CERT_NO = FieldSeed(
    "property_certificate_no", "不动产权证书号", "text", max_length=60, help="如: 辽(2024)本溪市不动产权第0001234号"
)
_F_PROPERTY_ADDRESS = FieldSeed("property_address", "不动产坐落", "address", max_length=200)
_F_BUILDING_AREA = FieldSeed("building_area_sqm", "建筑面积(平方米)", "number", min=1, max=10_000_000)
_F_PRICE = FieldSeed("transaction_price_wan", "成交价格(万元)", "number", min=0.01, max=1_000_000)
_F_LOAN = FieldSeed("loan_amount_wan", "贷款金额(万元)", "number", min=1, max=100_000)
_F_LOAN_TERM = FieldSeed("loan_term_years", "贷款期限(年)", "number", min=1, max=30)

_F_PROJECT = FieldSeed("project_name", "项目名称", "text", max_length=120)
_F_PROJECT_ADDRESS = FieldSeed("project_address", "建设地点", "address", max_length=200)
_F_INVESTMENT = FieldSeed("total_investment_wan", "总投资(万元)", "number", min=0.01, max=100_000_000)
_F_START = FieldSeed("planned_start_date", "计划开工日期", "date")
_F_LAND_AREA = FieldSeed("land_area_sqm", "用地面积(平方米)", "number", min=1, max=100_000_000)
_F_CONSTRUCTION_TYPE = FieldSeed("construction_type", "建设类型", "choice", options=("新建", "改建", "扩建"))

_F_INSTITUTION = FieldSeed("institution_name", "机构名称", "text", max_length=100)
_F_INSTITUTION_ADDRESS = FieldSeed("institution_address", "机构地址", "address", max_length=200)
_F_BEDS = FieldSeed("bed_count", "床位数", "number", min=0, max=10_000)
_F_ROOMS = FieldSeed("room_count", "客房数", "number", min=1, max=5_000)

_F_INSURED_TYPE = FieldSeed("insured_type", "参保险种", "choice", options=("职工基本医疗保险", "城乡居民基本医疗保险"))
_F_HAS_UNIT_INSURANCE = FieldSeed(
    "has_unit_insurance", "目前是否由用人单位参加社会保险", "bool", help="正在由用人单位缴费的请选择“是”"
)
_F_FAMILY_SIZE = FieldSeed("family_size", "共同生活家庭成员人数", "number", min=1, max=20)
_F_FAMILY_INCOME = FieldSeed("family_monthly_income", "家庭月总收入(元)", "number", min=0, max=10_000_000)
_F_REASON = FieldSeed("hardship_reason", "申请理由", "textarea", max_length=1000)

_F_VEHICLES = FieldSeed("vehicle_count", "拟投入车辆数", "number", min=1, max=10_000)
_F_DRIVERS = FieldSeed("driver_count", "驾驶人员数", "number", min=1, max=10_000)
_F_PLATFORM = FieldSeed("platform_name", "网络服务平台名称", "text", max_length=60)
_F_ENV_INVESTMENT = FieldSeed("environmental_investment_wan", "环保投资(万元)", "number", min=0, max=10_000_000)

# ---------------------------------------------------------------------------------------------------------
# Shared materials (same name → same document everywhere)
# ---------------------------------------------------------------------------------------------------------

_M_ID = MaterialSeed("居民身份证", license_type="居民身份证")
_M_PARENTS_ID = MaterialSeed("父母双方居民身份证", license_type="居民身份证")
_M_HUKOU = MaterialSeed("户口簿", license_type="户口簿")
_M_MARRIAGE = MaterialSeed("结婚证", mandatory=False, license_type="结婚证")
_M_BIRTH_CERT = MaterialSeed("出生医学证明", license_type="出生医学证明")
_M_DEATH_CERT = MaterialSeed("居民死亡医学证明书", license_type="居民死亡医学证明书")
_M_CREMATION = MaterialSeed("火化证明", license_type="火化证明")
_M_KINSHIP = MaterialSeed("亲属关系证明")
_M_PHOTO = MaterialSeed("近期免冠证件照片", file_types=("jpg", "png"), max_size_mb=2)
_M_SOCIAL_CARD = MaterialSeed("社会保障卡", mandatory=False, license_type="社会保障卡")
_M_ECON_AUTH = MaterialSeed("家庭经济状况核对授权书")
_M_EDUCATION = MaterialSeed("学历证书")

_M_LICENSE = MaterialSeed("营业执照", license_type="营业执照")
_M_PREMISES = MaterialSeed("经营场所使用证明")  # 产权证明或租赁合同
_M_FIRE_CHECK = MaterialSeed(
    "公众聚集场所投入使用、营业前消防安全检查合格证",
    license_type="公众聚集场所投入使用、营业前消防安全检查合格证",
)
_M_SAFETY_RULES = MaterialSeed("安全生产管理制度文本")
_M_VEHICLE_DOCS = MaterialSeed("拟投入车辆承诺书及车辆技术资料")
_M_DRIVER_QUAL = MaterialSeed("驾驶人员从业资格证", license_type="道路运输从业人员从业资格证")

_M_PROPERTY_CERT = MaterialSeed("不动产权证书", license_type="不动产权证书")
_M_SALE_CONTRACT = MaterialSeed("房屋买卖合同")
_M_REGISTRATION_FORM = MaterialSeed("不动产登记申请书")
_M_PLANNING_PERMIT = MaterialSeed("建设工程规划许可证", license_type="建设工程规划许可证")
_M_PROJECT_APPROVAL = MaterialSeed("项目批准、核准或备案文件")
_M_DRAWINGS = ("pdf",)

# ---------------------------------------------------------------------------------------------------------
# Items
# ---------------------------------------------------------------------------------------------------------

_MARKET: Final[tuple[ItemSeed, ...]] = (
    ItemSeed(
        code="210500-SCJG-XK-0001",
        name="企业设立登记",
        department_code="scjgj",
        item_type="licensing",
        legal_basis="《中华人民共和国市场主体登记管理条例》第三条、第十九条；《中华人民共和国公司法》",
        statutory_days=3,
        promised_days=1,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="both",
        handling_scope="citywide",
        region_codes=_CITY,
        guide=(
            "申请人通过本溪市一网通办平台或“辽事通”自主申报企业名称并填报设立信息，全体投资人电子签名后提交。"
            "材料齐全、符合法定形式的当场予以登记，1个工作日内发放电子营业执照，可选择邮寄或到市政务服务中心"
            "市场监管窗口领取纸质执照。"
        ),
        fields=(
            _F_BUSINESS_NAME,
            FieldSeed(
                "enterprise_type",
                "企业类型",
                "choice",
                options=(
                    "有限责任公司(自然人独资)",
                    "有限责任公司(自然人投资或控股)",
                    "股份有限公司",
                    "个人独资企业",
                    "合伙企业",
                ),
            ),
            _F_CAPITAL,
            _F_BUSINESS_ADDRESS,
            _F_SCOPE,
            replace(_F_EMPLOYEES, required=False),
            _F_REP_PHONE,
        ),
        materials=(
            MaterialSeed("企业设立登记申请书", file_types=("pdf",)),
            MaterialSeed("公司章程(合伙协议)", file_types=("pdf",)),
            MaterialSeed("股东、法定代表人身份证明", license_type="居民身份证"),
            _M_PREMISES,
        ),
    ),
    ItemSeed(
        code="210500-SCJG-XK-0002",
        name="企业变更登记",
        department_code="scjgj",
        item_type="licensing",
        legal_basis="《中华人民共和国市场主体登记管理条例》第二十四条",
        statutory_days=3,
        promised_days=1,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="legal",
        handling_scope="citywide",
        region_codes=_CITY,
        guide=(
            "企业应自作出变更决议、决定或法定变更事项发生之日起30日内申请变更登记。住所、法定代表人、"
            "注册资本、经营范围等变更全程网办，核准后换发电子营业执照。"
        ),
        fields=(
            FieldSeed(
                "change_item",
                "变更事项",
                "choice",
                options=("名称", "住所", "法定代表人", "注册资本", "经营范围", "股东(投资人)", "其他"),
            ),
            FieldSeed("change_reason", "变更内容及原因", "textarea", max_length=1000),
            FieldSeed("resolution_date", "变更决议(决定)作出日期", "date"),
            replace(_F_BUSINESS_ADDRESS, required=False, help="变更住所时填写新住所"),
            _F_REP_PHONE,
        ),
        materials=(
            MaterialSeed("企业变更登记申请书", file_types=("pdf",)),
            MaterialSeed("股东会决议(股东决定)", file_types=("pdf",)),
            MaterialSeed("章程修正案或修改后的章程", mandatory=False, file_types=("pdf",)),
            replace(_M_PREMISES, mandatory=False),
            _M_LICENSE,
        ),
    ),
    ItemSeed(
        code="210500-SCJG-XK-0003",
        name="企业注销登记",
        department_code="scjgj",
        item_type="licensing",
        legal_basis="《中华人民共和国市场主体登记管理条例》第三十一条、第三十三条",
        statutory_days=3,
        promised_days=1,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="legal",
        handling_scope="citywide",
        region_codes=_CITY,
        guide=(
            "适用普通注销和简易注销。简易注销须在国家企业信用信息公示系统公示20日，公示期满无异议的可申请注销；"
            "普通注销须完成清算并公告债权人。税务、社保等信息通过注销“一网服务”同步推送。"
        ),
        fields=(
            FieldSeed("deregistration_type", "注销方式", "choice", options=("普通注销", "简易注销")),
            FieldSeed(
                "dissolution_reason",
                "解散事由",
                "choice",
                options=("营业期限届满", "股东会决议解散", "依法被吊销营业执照、责令关闭或者被撤销", "其他"),
            ),
            FieldSeed("liquidation_date", "清算完结日期", "date", required=False, help="普通注销时填写"),
            FieldSeed("creditor_notice_date", "债权人公告(简易注销公示)日期", "date"),
            _F_REP_PHONE,
        ),
        materials=(
            MaterialSeed("企业注销登记申请书", file_types=("pdf",)),
            MaterialSeed("清算报告", mandatory=False, file_types=("pdf",)),
            MaterialSeed("股东会决议(股东决定)", file_types=("pdf",)),
            MaterialSeed("全体投资人承诺书", mandatory=False, file_types=("pdf",)),
            _M_LICENSE,
        ),
    ),
    ItemSeed(
        code="210500-SCJG-XK-0004",
        name="个体工商户设立登记",
        department_code="scjgj",
        item_type="licensing",
        legal_basis="《促进个体工商户发展条例》；《中华人民共和国市场主体登记管理条例》第二条、第十九条",
        statutory_days=3,
        promised_days=0,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="person",
        handling_scope="citywide",
        region_codes=_CITY,
        guide=(
            "经营者本人在线填报，名称自主申报。经营者未被列入失信联合惩戒名单、经营场所面积不超过500平方米且行业"
            "属于低风险类别的，系统智能审批“秒批”并即时发放电子营业执照；其他情形由登记机关当场核准。"
        ),
        fields=(
            _F_BUSINESS_NAME,
            FieldSeed(
                "industry_category",
                "行业类别",
                "choice",
                options=(
                    "批发和零售业",
                    "住宿和餐饮业",
                    "居民服务、修理和其他服务业",
                    "信息传输、软件和信息技术服务业",
                    "文化、体育和娱乐业",
                    "交通运输业",
                    "其他",
                ),
            ),
            _F_SCOPE,
            _F_BUSINESS_ADDRESS,
            _F_AREA,
            replace(_F_EMPLOYEES, required=False),
            _F_REP_PHONE,
        ),
        materials=(
            MaterialSeed("个体工商户登记(备案)申请书", file_types=("pdf",)),
            _M_ID,
            _M_PREMISES,
        ),
        auto_approval=(
            RuleSeed("applicant.kind", "==", "person"),
            RuleSeed("applicant.on_joint_punishment_list", "is_false", None),
            RuleSeed(
                "form.industry_category",
                "in",
                ("批发和零售业", "住宿和餐饮业", "居民服务、修理和其他服务业", "信息传输、软件和信息技术服务业"),
            ),
            RuleSeed("form.operating_area_sqm", "<=", 500),
        ),
    ),
    ItemSeed(
        code="210500-SCJG-XK-0005",
        name="食品经营许可",
        department_code="scjgj",
        item_type="licensing",
        legal_basis="《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》(国家市场监督管理总局令第78号)",
        statutory_days=10,
        promised_days=3,
        fee="0",
        fee_note="",
        online_level="pre_review",
        applicant_kind="both",
        handling_scope="local",
        region_codes=_COUNTIES,
        guide=(
            "由经营场所所在地区(县)市场监督管理部门受理。申请人在线提交材料并预审，需要现场核查的由两名以上执法人员"
            "核查；选择告知承诺的可当场发证。许可证有效期5年。"
        ),
        fields=(
            _F_BUSINESS_NAME,
            _F_BUSINESS_ADDRESS,
            _F_AREA,
            FieldSeed(
                "food_business_category",
                "经营主体业态",
                "choice",
                options=("食品销售经营者", "餐饮服务经营者", "单位食堂"),
            ),
            FieldSeed(
                "food_business_item",
                "主要经营项目",
                "choice",
                options=(
                    "热食类食品制售",
                    "冷食类食品制售",
                    "生食类食品制售",
                    "半成品制售",
                    "自制饮品制售",
                    "糕点类食品制售",
                    "散装食品销售",
                    "特殊食品销售",
                ),
            ),
            FieldSeed("food_safety_manager", "食品安全管理人员", "text", max_length=30),
            _F_REP_PHONE,
        ),
        materials=(
            MaterialSeed("食品经营许可申请书", file_types=("pdf",)),
            replace(_M_LICENSE, mandatory=False),
            MaterialSeed("主要设备设施布局及操作流程文件"),
            MaterialSeed("食品安全管理制度目录清单", file_types=("pdf",)),
            _M_PREMISES,
        ),
    ),
    ItemSeed(
        code="210500-SCJG-QT-0006",
        name="仅销售预包装食品备案",
        department_code="scjgj",
        item_type="other_power",
        legal_basis="《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》(国家市场监督管理总局令第78号)",
        statutory_days=0,
        promised_days=0,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="both",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="仅销售预包装食品的，不需要取得食品经营许可，在开展经营活动前在线备案，当场生成备案编号。",
        fields=(
            _F_BUSINESS_NAME,
            _F_BUSINESS_ADDRESS,
            _F_AREA,
            FieldSeed(
                "sells_special_food",
                "是否销售特殊食品",
                "bool",
                help="保健食品、特殊医学用途配方食品、婴幼儿配方乳粉",
            ),
            _F_REP_PHONE,
        ),
        materials=(
            MaterialSeed("仅销售预包装食品备案信息采集表", file_types=("pdf",)),
            replace(_M_LICENSE, mandatory=False),
        ),
    ),
    ItemSeed(
        code="210500-SCJG-XK-0007",
        name="特种设备使用登记",
        department_code="scjgj",
        item_type="licensing",
        legal_basis="《中华人民共和国特种设备安全法》第三十三条；《特种设备使用管理规则》(TSG 08)",
        statutory_days=15,
        promised_days=5,
        fee="0",
        fee_note="",
        online_level="pre_review",
        applicant_kind="legal",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="特种设备使用单位应在设备投入使用前或投入使用后30日内办理使用登记，登记标志置于设备显著位置。",
        fields=(
            FieldSeed(
                "equipment_category",
                "设备类别",
                "choice",
                options=(
                    "电梯",
                    "锅炉",
                    "压力容器",
                    "起重机械",
                    "场(厂)内专用机动车辆",
                    "大型游乐设施",
                    "客运索道",
                    "压力管道",
                ),
            ),
            FieldSeed("equipment_count", "设备数量(台)", "number", min=1, max=500),
            FieldSeed("equipment_location", "设备使用地点", "address", max_length=200),
            FieldSeed("installation_company", "安装单位名称", "text", max_length=100),
            FieldSeed("safety_manager", "安全管理员", "text", max_length=30),
            _F_REP_PHONE,
        ),
        materials=(
            MaterialSeed("特种设备使用登记表", file_types=("pdf",)),
            MaterialSeed("产品合格证"),
            MaterialSeed("安装监督检验证明"),
            _M_LICENSE,
        ),
    ),
    ItemSeed(
        code="210500-SCJG-XK-0008",
        name="药品零售企业经营许可",
        department_code="scjgj",
        item_type="licensing",
        legal_basis="《中华人民共和国药品管理法》第五十一条；《药品经营和使用质量监督管理办法》(国家市场监督管理总局令第84号)",
        statutory_days=20,
        promised_days=10,
        fee="0",
        fee_note="",
        online_level="pre_review",
        applicant_kind="legal",
        handling_scope="local",
        region_codes=_COUNTIES,
        guide="由区(县)药品监督管理部门受理并组织现场检查，符合《药品经营质量管理规范》的核发药品经营许可证。",
        fields=(
            _F_BUSINESS_NAME,
            _F_BUSINESS_ADDRESS,
            _F_AREA,
            FieldSeed("pharmacist_count", "执业药师人数", "number", min=1, max=100),
            FieldSeed("retail_mode", "经营方式", "choice", options=("单体药店", "连锁门店")),
            FieldSeed("sells_prescription_drugs", "是否经营处方药", "bool"),
            _F_REP_PHONE,
        ),
        materials=(
            MaterialSeed("药品经营许可证申请表", file_types=("pdf",)),
            _M_LICENSE,
            _M_PREMISES,
            MaterialSeed("执业药师注册证", license_type="执业药师注册证"),
            MaterialSeed("质量管理文件目录", file_types=("pdf",)),
        ),
    ),
)

_HEALTH: Final[tuple[ItemSeed, ...]] = (
    ItemSeed(
        code="210500-WJW-XK-0001",
        name="公共场所卫生许可",
        department_code="wjw",
        item_type="licensing",
        legal_basis="《公共场所卫生管理条例》第八条；《公共场所卫生管理条例实施细则》第二十二条",
        statutory_days=20,
        promised_days=5,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="both",
        handling_scope="local",
        region_codes=_COUNTIES,
        guide=(
            "适用于宾馆、旅店、公共浴室、理发店、美容店、游泳场(馆)、影剧院、歌舞厅等公共场所(饭馆、咖啡馆等已不需"
            "办理)。实行告知承诺制，申请人承诺符合卫生条件的当场发证，卫生健康监督机构事后核查。"
        ),
        fields=(
            _F_BUSINESS_NAME,
            _F_BUSINESS_ADDRESS,
            _F_AREA,
            FieldSeed(
                "public_place_category",
                "公共场所类别",
                "choice",
                options=(
                    "宾馆、旅店、招待所",
                    "公共浴室",
                    "理发店、美容店",
                    "游泳场(馆)",
                    "影剧院、歌舞厅、游艺厅",
                ),
            ),
            replace(_F_ROOMS, required=False, help="住宿场所填写"),
            _F_EMPLOYEES,
            _F_REP_PHONE,
        ),
        materials=(
            MaterialSeed("公共场所卫生许可申请表", file_types=("pdf",)),
            replace(_M_LICENSE, mandatory=False),
            MaterialSeed("从业人员健康合格证明"),
            MaterialSeed("卫生管理制度", file_types=("pdf",)),
            MaterialSeed("公共场所卫生检测或评价报告", mandatory=False, file_types=("pdf",)),
        ),
    ),
    ItemSeed(
        code="210500-WJW-XK-0002",
        name="医疗机构执业登记",
        department_code="wjw",
        item_type="licensing",
        legal_basis="《医疗机构管理条例》第十五条；《医疗机构管理条例实施细则》",
        statutory_days=45,
        promised_days=15,
        fee="0",
        fee_note="",
        online_level="pre_review",
        applicant_kind="legal",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="医疗机构执业前须进行执业登记，领取《医疗机构执业许可证》。卫生健康部门组织现场审核后作出决定。",
        fields=(
            _F_INSTITUTION,
            FieldSeed(
                "institution_category",
                "医疗机构类别",
                "choice",
                options=("综合医院", "中医医院", "专科医院", "门诊部", "社区卫生服务中心", "护理院"),
            ),
            _F_INSTITUTION_ADDRESS,
            _F_BEDS,
            FieldSeed("diagnosis_subjects", "诊疗科目", "textarea", max_length=1000),
            _F_REP_PHONE,
        ),
        materials=(
            MaterialSeed("医疗机构执业登记申请书", file_types=("pdf",)),
            MaterialSeed("设置医疗机构批准书", license_type="设置医疗机构批准书"),
            _M_PREMISES,
            MaterialSeed("医疗机构规章制度", file_types=("pdf",)),
            MaterialSeed("卫生技术人员名录及资格证书"),
        ),
    ),
    ItemSeed(
        code="210500-WJW-XK-0003",
        name="医师执业注册",
        department_code="wjw",
        item_type="licensing",
        legal_basis="《中华人民共和国医师法》第十三条；《医师执业注册管理办法》",
        statutory_days=20,
        promised_days=5,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="person",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="取得医师资格的人员经拟执业机构同意后在线申请，注册信息核准后生成电子化注册医师证书。",
        fields=(
            FieldSeed("registration_type", "注册类型", "choice", options=("首次注册", "变更注册", "重新注册")),
            FieldSeed("practice_category", "执业类别", "choice", options=("临床", "中医", "口腔", "公共卫生")),
            FieldSeed("practice_scope", "执业范围", "text", max_length=60, help="如: 内科专业"),
            FieldSeed("practice_institution", "主要执业机构", "text", max_length=100),
        ),
        materials=(
            MaterialSeed("医师执业注册申请审核表", file_types=("pdf",)),
            MaterialSeed("医师资格证书", license_type="医师资格证书"),
            MaterialSeed("近6个月内健康体检证明"),
            MaterialSeed("拟执业机构聘用证明"),
        ),
    ),
    ItemSeed(
        code="210500-WJW-XK-0004",
        name="母婴保健技术服务执业许可",
        department_code="wjw",
        item_type="licensing",
        legal_basis="《中华人民共和国母婴保健法》第三十二条；《中华人民共和国母婴保健法实施办法》",
        statutory_days=20,
        promised_days=10,
        fee="0",
        fee_note="",
        online_level="pre_review",
        applicant_kind="legal",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="医疗保健机构开展婚前医学检查、产前筛查、助产技术等母婴保健技术服务，须经卫生健康部门许可。",
        fields=(
            _F_INSTITUTION,
            _F_INSTITUTION_ADDRESS,
            FieldSeed(
                "mch_service_item",
                "申请开展项目",
                "choice",
                options=("婚前医学检查", "产前筛查", "产前诊断", "助产技术", "结扎手术", "终止妊娠手术"),
            ),
            FieldSeed("qualified_staff_count", "具备资质的技术人员数", "number", min=1, max=1000),
            _F_REP_PHONE,
        ),
        materials=(
            MaterialSeed("母婴保健技术服务执业许可申请登记书", file_types=("pdf",)),
            MaterialSeed("医疗机构执业许可证", license_type="医疗机构执业许可证"),
            MaterialSeed("技术人员资格及培训合格证明"),
            MaterialSeed("相关设备清单", file_types=("pdf",)),
        ),
    ),
    ItemSeed(
        code="210500-WJW-GG-0005",
        name="出生医学证明首次签发",
        department_code="wjw",
        item_type="public_service",
        legal_basis="《中华人民共和国母婴保健法》第二十三条；《出生医学证明》管理相关规定",
        statutory_days=5,
        promised_days=0,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="person",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="新生儿在本市助产机构出生的，父母在线确认出生信息后由助产机构签发，同步生成电子出生医学证明。",
        fields=(
            _F_BABY_NAME,
            _F_BABY_GENDER,
            _F_BABY_BIRTH,
            FieldSeed("birth_weight_g", "出生体重(克)", "number", min=300, max=7000),
            _F_BIRTH_HOSPITAL,
            FieldSeed("father_name", "父亲姓名", "text", max_length=30),
            FieldSeed("father_id_number", "父亲公民身份号码", "id_number"),
        ),
        materials=(_M_PARENTS_ID, _M_MARRIAGE),
    ),
    ItemSeed(
        code="210500-WJW-GG-0006",
        name="出生医学证明补发",
        department_code="wjw",
        item_type="public_service",
        legal_basis="《中华人民共和国母婴保健法》第二十三条",
        statutory_days=20,
        promised_days=5,
        fee="0",
        fee_note="",
        online_level="pre_review",
        applicant_kind="person",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="出生医学证明遗失或损毁的，由原签发机构核实出生信息后补发，补发证明注明“补发”字样。",
        fields=(
            _F_BABY_NAME,
            _F_BABY_GENDER,
            _F_BABY_BIRTH,
            _F_BIRTH_HOSPITAL,
            FieldSeed("reissue_reason", "补发原因", "choice", options=("遗失", "损毁")),
            FieldSeed("loss_statement", "遗失(损毁)情况说明", "textarea", max_length=500),
        ),
        materials=(
            _M_PARENTS_ID,
            _M_HUKOU,
            MaterialSeed("医疗机构分娩记录证明"),
        ),
    ),
    ItemSeed(
        code="210500-WJW-GG-0007",
        name="生育登记",
        department_code="wjw",
        item_type="public_service",
        legal_basis="《中华人民共和国人口与计划生育法》；《辽宁省人口与计划生育条例》",
        statutory_days=0,
        promised_days=0,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="person",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="夫妻生育子女实行登记服务，在线填报即时完成，不设前置条件。",
        fields=(
            FieldSeed("child_order", "生育子女孩次", "choice", options=("一孩", "二孩", "三孩及以上")),
            FieldSeed("expected_birth_date", "预产期", "date", required=False),
            FieldSeed("spouse_name", "配偶姓名", "text", max_length=30),
            FieldSeed("spouse_id_number", "配偶公民身份号码", "id_number"),
        ),
        materials=(
            MaterialSeed("夫妻双方居民身份证", license_type="居民身份证"),
            _M_MARRIAGE,
        ),
    ),
)

_UNEMPLOYMENT_REASONS: Final = (
    "劳动合同期满终止",
    "用人单位解除劳动合同",
    "用人单位破产、撤销、解散",
    "因用人单位过错本人解除劳动合同",
    "本人主动辞职",
)

_HUMAN_RESOURCES: Final[tuple[ItemSeed, ...]] = (
    ItemSeed(
        code="210500-RSJ-JF-0001",
        name="失业保险金申领",
        department_code="rsj",
        item_type="benefit",
        legal_basis="《中华人民共和国社会保险法》第四十五条、第五十条；《失业保险条例》第十四条",
        statutory_days=10,
        promised_days=1,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="person",
        handling_scope="cross_region",
        region_codes=_CITY,
        guide=(
            "非因本人意愿中断就业、失业前累计缴纳失业保险费满1年并已办理失业登记的，可在线申领。系统比对参保"
            "和中断就业信息，符合条件的“秒批”，次月起按月发放至本人社会保障卡银行账户。跨省通办。"
        ),
        fields=(
            FieldSeed("unemployment_reason", "中断就业原因", "choice", options=_UNEMPLOYMENT_REASONS),
            FieldSeed("unemployment_date", "终止(解除)劳动关系日期", "date"),
            FieldSeed("contribution_years", "累计缴纳失业保险费年限(年)", "number", min=0, max=50),
            _F_BANK,
            _F_ACCOUNT,
            FieldSeed("job_seeking_intention", "求职意向", "text", required=False, max_length=100),
        ),
        materials=(
            MaterialSeed("终止或者解除劳动合同的证明"),
            _M_SOCIAL_CARD,
        ),
        auto_approval=(
            RuleSeed("form.unemployment_reason", "in", _UNEMPLOYMENT_REASONS[:4]),
            RuleSeed("form.contribution_years", ">=", 1),
        ),
    ),
    ItemSeed(
        code="210500-RSJ-GG-0002",
        name="灵活就业人员参保登记",
        department_code="rsj",
        item_type="public_service",
        legal_basis="《中华人民共和国社会保险法》第十条、第五十八条",
        statutory_days=15,
        promised_days=0,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="person",
        handling_scope="citywide",
        region_codes=_CITY,
        guide=(
            "无雇工的个体工商户、非全日制从业人员、新就业形态劳动者等灵活就业人员可在线办理企业职工基本养老保险"
            "参保登记；年满16周岁未达55周岁且未由用人单位参保的，即时办结(免审即享)。"
        ),
        fields=(
            FieldSeed(
                "employment_form",
                "灵活就业形式",
                "choice",
                options=("个体工商户(无雇工)", "非全日制从业人员", "新就业形态劳动者", "其他灵活就业人员"),
            ),
            _F_HAS_UNIT_INSURANCE,
            FieldSeed(
                "contribution_base_level",
                "缴费档次(占全省全口径城镇单位就业人员平均工资)",
                "choice",
                options=("60%", "80%", "100%", "150%", "200%", "300%"),
            ),
            _F_HOME,
        ),
        materials=(
            _M_ID,
            MaterialSeed("灵活就业人员参保承诺书", file_types=("pdf",)),
        ),
        auto_approval=(
            RuleSeed("applicant.age", ">=", 16),
            RuleSeed("applicant.age", "<", 55),
            RuleSeed("form.has_unit_insurance", "is_false", None),
        ),
    ),
    ItemSeed(
        code="210500-RSJ-JF-0003",
        name="职工退休申请(基本养老金申领)",
        department_code="rsj",
        item_type="benefit",
        legal_basis=(
            "《中华人民共和国社会保险法》第十六条；《全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定》"
        ),
        statutory_days=20,
        promised_days=10,
        fee="0",
        fee_note="",
        online_level="pre_review",
        applicant_kind="person",
        handling_scope="citywide",
        region_codes=_CITY,
        guide=(
            "达到法定退休年龄且累计缴费满最低年限的参保人，可在到龄前3个月内在线申请。经办机构审核人事档案、核定"
            "基本养老金，次月起按月发放。"
        ),
        fields=(
            FieldSeed(
                "retirement_type",
                "退休类型",
                "choice",
                options=("正常退休", "弹性提前退休", "特殊工种提前退休", "完全丧失劳动能力退休"),
            ),
            _F_RETIREMENT_DATE,
            FieldSeed("work_start_date", "参加工作时间", "date"),
            _F_BANK,
            _F_ACCOUNT,
        ),
        materials=(
            _M_ID,
            MaterialSeed("职工人事档案"),
            MaterialSeed("特殊工种提前退休审批材料", mandatory=False),
            MaterialSeed("劳动能力鉴定结论", mandatory=False),
        ),
    ),
    ItemSeed(
        code="210500-RSJ-JF-0004",
        name="参保人员死亡丧葬补助金、抚恤金申领",
        department_code="rsj",
        item_type="benefit",
        legal_basis="《中华人民共和国社会保险法》第十七条",
        statutory_days=20,
        promised_days=5,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="person",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="参保人员因病或非因工死亡的，其遗属可申领丧葬补助金和抚恤金；同时停发其基本养老金并清算多发待遇。",
        fields=(
            _F_DECEASED_NAME,
            _F_DECEASED_ID,
            _F_DEATH_DATE,
            _F_DECEASED_RELATION,
            FieldSeed("dependents_count", "供养直系亲属人数", "number", min=0, max=20),
            _F_BANK,
            _F_ACCOUNT,
        ),
        materials=(_M_DEATH_CERT, replace(_M_CREMATION, mandatory=False), _M_KINSHIP),
    ),
    ItemSeed(
        code="210500-RSJ-GG-0005",
        name="社会保障卡申领",
        department_code="rsj",
        item_type="public_service",
        legal_basis="《中华人民共和国社会保险法》第五十八条",
        statutory_days=20,
        promised_days=5,
        fee="0",
        fee_note="首次申领免费",
        online_level="full",
        applicant_kind="person",
        handling_scope="cross_region",
        region_codes=_CITY,
        guide="本人或监护人在线申领，电子社会保障卡即时签发，实体卡制卡后邮寄或到合作银行网点领取。",
        fields=(
            FieldSeed(
                "cardholder_category",
                "申领类型",
                "choice",
                options=("本人申领", "为未成年子女(新生儿)代申领"),
            ),
            replace(_F_BABY_NAME, required=False, help="为新生儿代申领时填写"),
            _F_CARD_BANK,
            _F_DELIVERY,
            _F_MAILING,
        ),
        materials=(_M_PHOTO, replace(_M_HUKOU, mandatory=False)),
    ),
    ItemSeed(
        code="210500-RSJ-GG-0006",
        name="职业技能等级认定",
        department_code="rsj",
        item_type="public_service",
        legal_basis="《中华人民共和国劳动法》第六十九条；《中华人民共和国职业教育法》",
        statutory_days=30,
        promised_days=20,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="person",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="劳动者在线报名，由备案的评价机构组织考核，合格的核发职业技能等级证书并纳入全国证书查询系统。",
        fields=(
            FieldSeed("occupation_name", "申报职业(工种)", "text", max_length=60),
            FieldSeed(
                "skill_level",
                "申报等级",
                "choice",
                options=("五级/初级工", "四级/中级工", "三级/高级工", "二级/技师", "一级/高级技师"),
            ),
            FieldSeed("occupation_years", "本职业(工种)工作年限(年)", "number", min=0, max=50),
            FieldSeed("evaluation_org", "评价机构", "text", required=False, max_length=100),
        ),
        materials=(
            _M_EDUCATION,
            MaterialSeed("原职业技能等级证书", mandatory=False, license_type="职业技能等级证书"),
            MaterialSeed("工作年限证明"),
        ),
    ),
    ItemSeed(
        code="210500-RSJ-XK-0007",
        name="劳务派遣经营许可",
        department_code="rsj",
        item_type="licensing",
        legal_basis="《中华人民共和国劳动合同法》第五十七条；《劳务派遣行政许可实施办法》",
        statutory_days=20,
        promised_days=10,
        fee="0",
        fee_note="",
        online_level="pre_review",
        applicant_kind="legal",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="经营劳务派遣业务须注册资本不少于人民币二百万元，有与开展业务相适应的固定经营场所和设施。",
        fields=(
            _F_BUSINESS_NAME,
            replace(_F_CAPITAL, min=200),
            _F_BUSINESS_ADDRESS,
            _F_AREA,
            _F_REP_PHONE,
        ),
        materials=(
            MaterialSeed("劳务派遣经营许可申请书", file_types=("pdf",)),
            _M_LICENSE,
            MaterialSeed("公司章程", file_types=("pdf",)),
            MaterialSeed("劳务派遣管理制度", file_types=("pdf",)),
            _M_PREMISES,
        ),
    ),
    ItemSeed(
        code="210500-RSJ-GG-0008",
        name="用人单位社会保险登记",
        department_code="rsj",
        item_type="public_service",
        legal_basis="《中华人民共和国社会保险法》第五十七条",
        statutory_days=15,
        promised_days=0,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="both",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="用人单位应自成立之日起30日内办理社会保险登记；企业开办时与设立登记一并办理，即时办结。",
        fields=(
            _F_BUSINESS_NAME,
            _F_EMPLOYEES,
            _F_BANK,
            _F_ACCOUNT,
            _F_REP_PHONE,
        ),
        materials=(
            replace(_M_LICENSE, mandatory=False),
            MaterialSeed("单位社会保险登记表", file_types=("pdf",)),
        ),
    ),
    ItemSeed(
        code="210500-RSJ-GG-0009",
        name="城乡居民基本养老保险参保登记",
        department_code="rsj",
        item_type="public_service",
        legal_basis="《中华人民共和国社会保险法》第二十条；《国务院关于建立统一的城乡居民基本养老保险制度的意见》(国发〔2014〕8号)",
        statutory_days=15,
        promised_days=0,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="person",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="年满16周岁(不含在校学生)、未参加职工基本养老保险的城乡居民可在户籍地参保，按年选择缴费档次。",
        fields=(
            FieldSeed(
                "annual_contribution_grade",
                "年缴费档次",
                "choice",
                options=("200元", "300元", "500元", "1000元", "2000元", "3000元", "5000元"),
            ),
            _F_HAS_UNIT_INSURANCE,
            _F_HOME,
        ),
        materials=(_M_ID, _M_HUKOU),
    ),
)

_FILING_REASONS: Final = ("异地长期居住", "常驻异地工作", "异地安置退休", "临时外出就医", "异地转诊就医")

_MEDICAL_INSURANCE: Final[tuple[ItemSeed, ...]] = (
    ItemSeed(
        code="210500-YBJ-GG-0001",
        name="基本医疗保险异地就医备案",
        department_code="ybj",
        item_type="public_service",
        legal_basis=(
            "《中华人民共和国社会保险法》第二十九条；《国家医保局 财政部关于进一步做好基本医疗保险跨省异地就医"
            "直接结算工作的通知》(医保发〔2022〕22号)"
        ),
        statutory_days=5,
        promised_days=0,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="person",
        handling_scope="cross_region",
        region_codes=_CITY,
        guide=(
            "参保人员异地长期居住、常驻异地工作或临时外出就医的，可在线备案，以个人承诺代替证明材料，即时生效"
            "(免审即享)；异地转诊就医须由定点医疗机构出具转诊证明，经审核后生效。"
        ),
        fields=(
            _F_INSURED_TYPE,
            FieldSeed("filing_reason", "备案类型", "choice", options=_FILING_REASONS),
            FieldSeed("filing_scope", "备案范围", "choice", options=("跨省异地就医", "省内异地就医")),
            FieldSeed("destination", "就医地(省、市)", "text", max_length=60),
            FieldSeed("filing_start_date", "备案开始日期", "date"),
        ),
        materials=(
            MaterialSeed("异地就医备案个人承诺书", file_types=("pdf",)),
            MaterialSeed("转诊证明", mandatory=False),
        ),
        auto_approval=(RuleSeed("form.filing_reason", "in", _FILING_REASONS[:4]),),
    ),
    ItemSeed(
        code="210500-YBJ-QR-0002",
        name="门诊慢特病待遇认定",
        department_code="ybj",
        item_type="confirmation",
        legal_basis=(
            "《中华人民共和国社会保险法》第二十八条；"
            "《国家医疗保障局 财政部关于建立医疗保障待遇清单制度的意见》(医保发〔2021〕5号)"
        ),
        statutory_days=20,
        promised_days=10,
        fee="0",
        fee_note="",
        online_level="pre_review",
        applicant_kind="person",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="参保人员患规定病种的，在线提交病历资料，由医保经办机构组织专家认定，认定后享受门诊慢特病待遇。",
        fields=(
            _F_INSURED_TYPE,
            FieldSeed(
                "chronic_disease",
                "申请病种",
                "choice",
                options=(
                    "高血压(Ⅱ级及以上)",
                    "糖尿病",
                    "恶性肿瘤门诊治疗",
                    "慢性肾功能衰竭(透析)",
                    "器官移植抗排异治疗",
                    "严重精神障碍",
                    "冠心病",
                    "慢性阻塞性肺疾病",
                ),
            ),
            FieldSeed("designated_hospital", "选定的定点医疗机构", "text", max_length=100),
            FieldSeed("diagnosis_date", "确诊日期", "date"),
        ),
        materials=(
            MaterialSeed("门诊慢特病待遇认定申请表", file_types=("pdf",)),
            MaterialSeed("病历资料(出院记录、诊断证明)"),
            MaterialSeed("检查检验报告"),
        ),
    ),
    ItemSeed(
        code="210500-YBJ-JF-0003",
        name="生育津贴申领",
        department_code="ybj",
        item_type="benefit",
        legal_basis="《中华人民共和国社会保险法》第五十四条、第五十六条",
        statutory_days=20,
        promised_days=10,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="both",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="参加生育保险的职工生育或施行计划生育手术后，由用人单位或本人在线申领生育津贴，按规定产假天数计发。",
        fields=(
            FieldSeed("delivery_date", "分娩(手术)日期", "date"),
            FieldSeed("delivery_type", "分娩类型", "choice", options=("顺产", "剖宫产", "难产", "多胞胎生育", "流产")),
            FieldSeed("maternity_leave_days", "产假天数", "number", min=1, max=365),
            _F_BANK,
            _F_ACCOUNT,
        ),
        materials=(
            replace(_M_BIRTH_CERT, mandatory=False),
            MaterialSeed("医疗机构诊断证明", mandatory=False),
        ),
    ),
    ItemSeed(
        code="210500-YBJ-GG-0004",
        name="城乡居民基本医疗保险参保登记",
        department_code="ybj",
        item_type="public_service",
        legal_basis="《中华人民共和国社会保险法》第二十五条",
        statutory_days=15,
        promised_days=0,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="person",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="新生儿、中小学生及其他未参加职工医保的城乡居民可在线参保；新生儿出生后即可参保，免审即享。",
        fields=(
            FieldSeed(
                "insured_category",
                "参保人员类别",
                "choice",
                options=("新生儿", "中小学生和学龄前儿童", "大学生", "其他城乡居民"),
            ),
            replace(_F_BABY_NAME, required=False, help="为新生儿参保时填写"),
            replace(_F_BABY_BIRTH, required=False),
            _F_HOME,
        ),
        materials=(_M_HUKOU, replace(_M_BIRTH_CERT, mandatory=False)),
        auto_approval=(RuleSeed("form.insured_category", "==", "新生儿"),),
    ),
    ItemSeed(
        code="210500-YBJ-JF-0005",
        name="零星医疗费用报销",
        department_code="ybj",
        item_type="benefit",
        legal_basis="《中华人民共和国社会保险法》第二十八条、第二十九条",
        statutory_days=30,
        promised_days=20,
        fee="0",
        fee_note="",
        online_level="pre_review",
        applicant_kind="person",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="异地就医未能直接结算或急诊抢救等发生的医疗费用，凭票据和明细清单在线申请手工报销。",
        fields=(
            _F_INSURED_TYPE,
            FieldSeed(
                "reimbursement_reason",
                "报销原因",
                "choice",
                options=("异地就医未直接结算", "急诊抢救", "其他"),
            ),
            FieldSeed("hospital_name", "就诊医疗机构", "text", max_length=100),
            FieldSeed("treatment_start_date", "就诊开始日期", "date"),
            FieldSeed("total_amount", "医疗费用总额(元)", "number", min=0.01, max=10_000_000),
            _F_BANK,
            _F_ACCOUNT,
        ),
        materials=(
            MaterialSeed("医疗费用收费票据"),
            MaterialSeed("费用明细清单"),
            MaterialSeed("诊断证明或出院记录"),
            _M_SOCIAL_CARD,
        ),
    ),
    ItemSeed(
        code="210500-YBJ-QR-0006",
        name="职工医保退休人员待遇核定",
        department_code="ybj",
        item_type="confirmation",
        legal_basis="《中华人民共和国社会保险法》第二十七条",
        statutory_days=20,
        promised_days=5,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="person",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="职工退休时核定职工医保缴费年限，达到规定年限的退休后不再缴费，按规定享受退休人员医保待遇。",
        fields=(
            _F_RETIREMENT_DATE,
            FieldSeed("medical_contribution_years", "职工医保实际缴费年限(年)", "number", min=0, max=60),
            FieldSeed("deemed_contribution_years", "视同缴费年限(年)", "number", required=False, min=0, max=60),
        ),
        materials=(
            MaterialSeed("职工退休审批表"),
            MaterialSeed("职工医保缴费年限证明", mandatory=False),
        ),
    ),
)

_WITHDRAWAL_REASONS: Final = (
    "租赁住房",
    "购买自住住房",
    "偿还购房贷款本息",
    "离休、退休",
    "出境定居",
    "与单位终止劳动关系",
)

_HOUSING_FUND: Final[tuple[ItemSeed, ...]] = (
    ItemSeed(
        code="210500-GJJ-GG-0001",
        name="住房公积金提取",
        department_code="gjjzx",
        item_type="public_service",
        legal_basis="《住房公积金管理条例》第二十四条、第二十五条",
        statutory_days=3,
        promised_days=0,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="person",
        handling_scope="citywide",
        region_codes=_CITY,
        guide=(
            "职工因租房、购房、还贷、离退休等情形可在线提取。租房提取每年不超过12000元的，系统比对缴存和住房信息后"
            "“秒批”并实时到账；其他情形当日审核。"
        ),
        fields=(
            FieldSeed("withdrawal_reason", "提取原因", "choice", options=_WITHDRAWAL_REASONS),
            FieldSeed("withdrawal_amount", "提取金额(元)", "number", min=1, max=10_000_000),
            FieldSeed(
                "monthly_rent", "月租金(元)", "number", required=False, min=0, max=100_000, help="租房提取时填写"
            ),
            _F_BANK,
            _F_ACCOUNT,
        ),
        materials=(
            MaterialSeed("住房公积金提取承诺书", file_types=("pdf",)),
            MaterialSeed("房屋租赁合同", mandatory=False),
            replace(_M_PROPERTY_CERT, mandatory=False),
            MaterialSeed("退休证明", mandatory=False),
        ),
        auto_approval=(
            RuleSeed("form.withdrawal_reason", "==", "租赁住房"),
            RuleSeed("form.withdrawal_amount", "<=", 12000),
        ),
    ),
    ItemSeed(
        code="210500-GJJ-GG-0002",
        name="职工死亡或被宣告死亡住房公积金提取",
        department_code="gjjzx",
        item_type="public_service",
        legal_basis="《住房公积金管理条例》第二十四条",
        statutory_days=3,
        promised_days=2,
        fee="0",
        fee_note="",
        online_level="pre_review",
        applicant_kind="person",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="职工死亡或者被宣告死亡的，其继承人、受遗赠人可以提取职工住房公积金账户内的存储余额。",
        fields=(
            _F_DECEASED_NAME,
            _F_DECEASED_ID,
            _F_DEATH_DATE,
            _F_DECEASED_RELATION,
            FieldSeed("heir_count", "继承人人数", "number", min=1, max=20),
            _F_BANK,
            _F_ACCOUNT,
        ),
        materials=(
            _M_DEATH_CERT,
            MaterialSeed("继承权公证书或生效法律文书"),
            _M_KINSHIP,
        ),
    ),
    ItemSeed(
        code="210500-GJJ-GG-0003",
        name="住房公积金个人住房贷款",
        department_code="gjjzx",
        item_type="public_service",
        legal_basis="《住房公积金管理条例》第二十六条",
        statutory_days=15,
        promised_days=5,
        fee="0",
        fee_note="",
        online_level="pre_review",
        applicant_kind="person",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="缴存职工购买、建造、翻建、大修自住住房的，可申请住房公积金贷款；与不动产抵押登记联动办理。",
        fields=(
            FieldSeed("house_type", "购房类型", "choice", options=("新建商品房", "二手房")),
            _F_PROPERTY_ADDRESS,
            _F_PRICE,
            _F_LOAN,
            _F_LOAN_TERM,
            FieldSeed("repayment_method", "还款方式", "choice", options=("等额本息", "等额本金")),
        ),
        materials=(
            _M_SALE_CONTRACT,
            _M_MARRIAGE,
            MaterialSeed("收入证明"),
            MaterialSeed("首付款付款凭证"),
        ),
    ),
    ItemSeed(
        code="210500-GJJ-GG-0004",
        name="单位住房公积金缴存登记",
        department_code="gjjzx",
        item_type="public_service",
        legal_basis="《住房公积金管理条例》第十三条、第十四条",
        statutory_days=5,
        promised_days=0,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="both",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="新设立的单位应自设立之日起30日内办理住房公积金缴存登记，并在登记之日起20日内为职工设立个人账户。",
        fields=(
            _F_BUSINESS_NAME,
            _F_EMPLOYEES,
            FieldSeed("deposit_ratio_percent", "缴存比例(%)", "number", min=5, max=12),
            FieldSeed("first_deposit_month", "首次缴存月份", "date"),
            _F_REP_PHONE,
        ),
        materials=(
            replace(_M_LICENSE, mandatory=False),
            MaterialSeed("住房公积金单位缴存登记表", file_types=("pdf",)),
        ),
    ),
)

_PUBLIC_SECURITY: Final[tuple[ItemSeed, ...]] = (
    ItemSeed(
        code="210500-GAJ-QR-0001",
        name="户口迁移",
        department_code="gaj",
        item_type="confirmation",
        legal_basis="《中华人民共和国户口登记条例》第十条；《国务院关于进一步推进户籍制度改革的意见》(国发〔2014〕25号)",
        statutory_days=20,
        promised_days=5,
        fee="0",
        fee_note="",
        online_level="pre_review",
        applicant_kind="person",
        handling_scope="cross_region",
        region_codes=_CITY,
        guide="购房、投靠、就业、人才引进等落户本市的，向迁入地派出所申请；跨省迁移实行“一站式”办理，无需回迁出地。",
        fields=(
            FieldSeed(
                "move_reason",
                "迁移类型",
                "choice",
                options=("购房落户", "投靠亲属", "就业落户", "人才引进", "高校毕业生落户"),
            ),
            FieldSeed("move_from_address", "迁出地址", "address", max_length=200),
            FieldSeed("move_to_address", "迁入地址", "address", max_length=200),
            FieldSeed("moving_members", "随迁人数", "number", min=0, max=20),
            replace(_F_CERT_NO, required=False, help="购房落户时填写"),
        ),
        materials=(
            _M_HUKOU,
            replace(_M_PROPERTY_CERT, mandatory=False),
            replace(_M_KINSHIP, mandatory=False),
            MaterialSeed("就业或人才引进证明", mandatory=False),
        ),
    ),
    ItemSeed(
        code="210500-GAJ-QR-0002",
        name="出生登记",
        department_code="gaj",
        item_type="confirmation",
        legal_basis="《中华人民共和国户口登记条例》第七条",
        statutory_days=5,
        promised_days=0,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="person",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="婴儿出生后一个月以内，由父母或其他监护人申报出生登记；调取电子出生医学证明，网上即时办结。",
        fields=(
            _F_BABY_NAME,
            _F_BABY_GENDER,
            _F_BABY_BIRTH,
            _F_BABY_RELATION,
            FieldSeed("settle_address", "落户地址", "address", max_length=200),
        ),
        materials=(_M_BIRTH_CERT, _M_HUKOU, _M_PARENTS_ID, _M_MARRIAGE),
    ),
    ItemSeed(
        code="210500-GAJ-QR-0003",
        name="死亡人员户口注销",
        department_code="gaj",
        item_type="confirmation",
        legal_basis="《中华人民共和国户口登记条例》第八条",
        statutory_days=5,
        promised_days=0,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="person",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="公民死亡后由户主、亲属或抚养人申报死亡登记，注销户口，并缴销居民身份证。",
        fields=(
            _F_DECEASED_NAME,
            _F_DECEASED_ID,
            _F_DEATH_DATE,
            FieldSeed("death_place", "死亡地点", "text", max_length=100),
            _F_DECEASED_RELATION,
        ),
        materials=(
            _M_DEATH_CERT,
            _M_HUKOU,
            MaterialSeed("逝者居民身份证", mandatory=False, license_type="居民身份证"),
        ),
    ),
    ItemSeed(
        code="210500-GAJ-GG-0004",
        name="居住证申领",
        department_code="gaj",
        item_type="public_service",
        legal_basis="《居住证暂行条例》",
        statutory_days=15,
        promised_days=7,
        fee="0",
        fee_note="首次申领免费",
        online_level="full",
        applicant_kind="person",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="离开常住户口所在地到本市居住半年以上，并有合法稳定就业、合法稳定住所或连续就读之一的，可申领居住证。",
        fields=(
            _F_HOME,
            FieldSeed("residence_start_date", "在本市居住开始日期", "date"),
            FieldSeed("residence_basis", "申领条件", "choice", options=("合法稳定就业", "合法稳定住所", "连续就读")),
            FieldSeed("employer_name", "就业单位或就读学校", "text", required=False, max_length=100),
        ),
        materials=(
            MaterialSeed("合法稳定住所证明", mandatory=False),
            MaterialSeed("就业或就读证明", mandatory=False),
            _M_PHOTO,
        ),
    ),
    ItemSeed(
        code="210500-GAJ-GG-0005",
        name="居民身份证换领",
        department_code="gaj",
        item_type="public_service",
        legal_basis="《中华人民共和国居民身份证法》第十一条",
        statutory_days=60,
        promised_days=15,
        fee="20",
        fee_note="换领工本费20元；丢失补领或损坏换领40元",
        online_level="pre_review",
        applicant_kind="person",
        handling_scope="cross_region",
        region_codes=_CITY,
        guide="有效期满、证件损坏或登记项目变更的，可在线预约后到任一派出所采集人像和指纹；可异地换领，制证后邮寄。",
        fields=(
            FieldSeed(
                "renewal_reason",
                "换领原因",
                "choice",
                options=("有效期满", "证件损坏", "姓名变更", "登记项目变更"),
            ),
            _F_DELIVERY,
            _F_MAILING,
        ),
        materials=(replace(_M_PHOTO, mandatory=False), _M_HUKOU),
    ),
    ItemSeed(
        code="210500-GAJ-XK-0006",
        name="普通护照签发",
        department_code="gaj",
        item_type="licensing",
        legal_basis="《中华人民共和国护照法》第五条",
        statutory_days=15,
        promised_days=7,
        fee="120",
        fee_note="普通护照工本费120元",
        online_level="pre_review",
        applicant_kind="person",
        handling_scope="cross_region",
        region_codes=_CITY,
        guide="公民因私出国可在全国任一出入境管理窗口申请普通护照，在线预约并填报信息，现场采集人像指纹。",
        fields=(
            FieldSeed("passport_application_type", "申请类别", "choice", options=("首次申领", "换发", "补发")),
            FieldSeed("travel_purpose", "出境事由", "choice", options=("旅游", "探亲访友", "商务", "留学", "其他")),
            _F_DELIVERY,
            _F_MAILING,
        ),
        materials=(_M_HUKOU, _M_PHOTO, MaterialSeed("原护照", mandatory=False)),
    ),
    ItemSeed(
        code="210500-GAJ-XK-0007",
        name="旅馆业特种行业许可证核发",
        department_code="gaj",
        item_type="licensing",
        legal_basis="《旅馆业治安管理办法》第四条；《国务院对确需保留的行政审批项目设定行政许可的决定》(国务院令第412号)",
        statutory_days=20,
        promised_days=10,
        fee="0",
        fee_note="",
        online_level="pre_review",
        applicant_kind="both",
        handling_scope="local",
        region_codes=_COUNTIES,
        guide="开办旅馆须具备必要的防盗等安全设施，由所在地区(县)公安机关实地核查后核发特种行业许可证。",
        fields=(
            _F_BUSINESS_NAME,
            _F_BUSINESS_ADDRESS,
            _F_AREA,
            _F_ROOMS,
            FieldSeed("security_manager", "治安保卫负责人", "text", max_length=30),
            _F_REP_PHONE,
        ),
        materials=(
            MaterialSeed("旅馆业特种行业许可申请表", file_types=("pdf",)),
            replace(_M_LICENSE, mandatory=False),
            _M_PREMISES,
            _M_FIRE_CHECK,
            MaterialSeed("治安保卫制度", file_types=("pdf",)),
        ),
    ),
    ItemSeed(
        code="210500-GAJ-QT-0008",
        name="公章刻制备案",
        department_code="gaj",
        item_type="other_power",
        legal_basis="《印铸刻字业暂行管理规则》",
        statutory_days=0,
        promised_days=0,
        fee="0",
        fee_note="新办企业首套印章由政府购买服务免费刻制",
        online_level="full",
        applicant_kind="both",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="企业取得营业执照后在线选择刻章企业，刻制单位即时备案，印章可邮寄到家。",
        fields=(
            _F_BUSINESS_NAME,
            FieldSeed("seal_count", "印章数量(枚)", "number", min=1, max=10),
            FieldSeed("seal_maker", "刻制单位", "text", max_length=100),
            _F_DELIVERY,
            _F_REP_PHONE,
        ),
        materials=(
            replace(_M_LICENSE, mandatory=False),
            MaterialSeed("印章式样(印模)", mandatory=False, file_types=("jpg", "png", "pdf")),
        ),
    ),
)

_MARRIAGE_OFFICES: Final = (
    "平山区婚姻登记处",
    "溪湖区婚姻登记处",
    "明山区婚姻登记处",
    "南芬区婚姻登记处",
    "本溪县婚姻登记处",
    "桓仁县婚姻登记处",
)

_CIVIL_AFFAIRS: Final[tuple[ItemSeed, ...]] = (
    ItemSeed(
        code="210500-MZJ-QR-0001",
        name="内地居民结婚登记",
        department_code="mzj",
        item_type="confirmation",
        legal_basis="《中华人民共和国民法典》第一千零四十九条；《婚姻登记条例》",
        statutory_days=0,
        promised_days=0,
        fee="0",
        fee_note="",
        online_level="offline",
        applicant_kind="person",
        handling_scope="cross_region",
        region_codes=_CITY,
        guide="男女双方在线预约，凭居民身份证亲自到任一婚姻登记机关办理，符合条件的当场登记发给结婚证。全国通办。",
        fields=(
            FieldSeed("partner_name", "对方姓名", "text", max_length=30),
            FieldSeed("partner_id_number", "对方公民身份号码", "id_number"),
            FieldSeed("appointment_date", "预约登记日期", "date"),
            FieldSeed("registration_office", "婚姻登记机关", "choice", options=_MARRIAGE_OFFICES),
        ),
        materials=(
            MaterialSeed("双方居民身份证", license_type="居民身份证"),
            MaterialSeed("双方近期半身免冠合影照片", file_types=("jpg", "png"), max_size_mb=2),
            MaterialSeed("双方无配偶及无禁止结婚亲属关系签字声明", file_types=("pdf",)),
        ),
    ),
    ItemSeed(
        code="210500-MZJ-JF-0002",
        name="高龄津贴申领",
        department_code="mzj",
        item_type="benefit",
        legal_basis="《中华人民共和国老年人权益保障法》第三十三条；《辽宁省老年人权益保障条例》",
        statutory_days=20,
        promised_days=5,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="person",
        handling_scope="citywide",
        region_codes=_CITY,
        guide=(
            "本市户籍年满80周岁的老年人按月享受高龄津贴。系统比对户籍、年龄和失信名单信息，符合条件的“秒批”，"
            "次月起发放至本人账户；已在养老机构入住的同样享受。"
        ),
        fields=(
            FieldSeed("household_in_city", "户籍是否在本市", "bool"),
            FieldSeed("living_status", "居住状况", "choice", options=("居家养老", "入住养老机构")),
            _F_BANK,
            _F_ACCOUNT,
        ),
        materials=(_M_HUKOU, _M_SOCIAL_CARD),
        auto_approval=(
            RuleSeed("applicant.age", ">=", 80),
            RuleSeed("applicant.on_joint_punishment_list", "is_false", None),
            RuleSeed("form.household_in_city", "is_true", None),
        ),
    ),
    ItemSeed(
        code="210500-MZJ-JF-0003",
        name="最低生活保障审核确认",
        department_code="mzj",
        item_type="benefit",
        legal_basis="《社会救助暂行办法》第九条、第十一条；《最低生活保障审核确认办法》(民发〔2021〕57号)",
        statutory_days=30,
        promised_days=20,
        fee="0",
        fee_note="",
        online_level="pre_review",
        applicant_kind="person",
        handling_scope="local",
        region_codes=_COUNTIES,
        guide=(
            "共同生活的家庭成员人均收入低于本市最低生活保障标准且财产状况符合规定的，向户籍所在地乡镇(街道)申请，"
            "经家庭经济状况核对、入户调查和公示后由区(县)民政部门确认。"
        ),
        fields=(
            _F_FAMILY_SIZE,
            _F_FAMILY_INCOME,
            _F_HOME,
            _F_REASON,
            _F_BANK,
            _F_ACCOUNT,
        ),
        materials=(
            MaterialSeed("最低生活保障申请书", file_types=("pdf",)),
            _M_HUKOU,
            _M_ECON_AUTH,
            MaterialSeed("残疾人证", mandatory=False, license_type="残疾人证"),
            MaterialSeed("疾病诊断证明", mandatory=False),
        ),
    ),
    ItemSeed(
        code="210500-MZJ-GG-0004",
        name="老年人优待证办理",
        department_code="mzj",
        item_type="public_service",
        legal_basis="《中华人民共和国老年人权益保障法》第五章；《辽宁省老年人权益保障条例》",
        statutory_days=10,
        promised_days=3,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="person",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="年满60周岁的老年人(含非本市户籍常住老年人)可在线申领，系统核验年龄后即时签发电子优待证(免审即享)。",
        fields=(
            FieldSeed("card_form", "证件形式", "choice", options=("电子优待证", "电子优待证及实体卡")),
            _F_DELIVERY,
            _F_MAILING,
        ),
        materials=(replace(_M_PHOTO, mandatory=False), _M_ID),
        auto_approval=(RuleSeed("applicant.age", ">=", 60),),
    ),
    ItemSeed(
        code="210500-MZJ-JF-0005",
        name="基本殡葬服务费用补贴",
        department_code="mzj",
        item_type="benefit",
        legal_basis="《殡葬管理条例》第二条、第四条",
        statutory_days=10,
        promised_days=3,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="person",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="本市户籍居民死亡后实行火化的，其亲属可申领遗体接运、暂存、火化、骨灰寄存等基本殡葬服务费用补贴。",
        fields=(
            _F_DECEASED_NAME,
            _F_DECEASED_ID,
            _F_DEATH_DATE,
            FieldSeed("cremation_date", "火化日期", "date"),
            _F_DECEASED_RELATION,
            _F_BANK,
            _F_ACCOUNT,
        ),
        materials=(_M_DEATH_CERT, _M_CREMATION, replace(_M_KINSHIP, mandatory=False)),
    ),
    ItemSeed(
        code="210500-MZJ-JF-0006",
        name="困难残疾人生活补贴和重度残疾人护理补贴",
        department_code="mzj",
        item_type="benefit",
        legal_basis=(
            "《中华人民共和国残疾人保障法》第四十八条；《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴"
            "制度的意见》(国发〔2015〕52号)"
        ),
        statutory_days=30,
        promised_days=15,
        fee="0",
        fee_note="",
        online_level="pre_review",
        applicant_kind="person",
        handling_scope="local",
        region_codes=_COUNTIES,
        guide=(
            "持第二代残疾人证的低保家庭残疾人可申请生活补贴，残疾等级为一、二级且需长期照护的可申请护理补贴。"
            "乡镇(街道)受理，残联审核，区(县)民政部门审定。"
        ),
        fields=(
            FieldSeed(
                "subsidy_type",
                "申请补贴类型",
                "choice",
                options=("困难残疾人生活补贴", "重度残疾人护理补贴", "两项补贴"),
            ),
            FieldSeed(
                "disability_category",
                "残疾类别",
                "choice",
                options=("视力残疾", "听力残疾", "言语残疾", "肢体残疾", "智力残疾", "精神残疾", "多重残疾"),
            ),
            FieldSeed("disability_grade", "残疾等级", "choice", options=("一级", "二级", "三级", "四级")),
            FieldSeed("is_low_income_family", "是否低保或低保边缘家庭", "bool"),
            _F_BANK,
            _F_ACCOUNT,
        ),
        materials=(
            MaterialSeed("残疾人证", license_type="残疾人证"),
            _M_HUKOU,
            MaterialSeed("残疾人两项补贴申请审批表", file_types=("pdf",)),
        ),
    ),
    ItemSeed(
        code="210500-MZJ-QR-0007",
        name="社会团体成立登记",
        department_code="mzj",
        item_type="confirmation",
        legal_basis="《社会团体登记管理条例》第十条、第十二条",
        statutory_days=60,
        promised_days=20,
        fee="0",
        fee_note="",
        online_level="pre_review",
        applicant_kind="both",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="成立社会团体应有50个以上个人会员或30个以上单位会员，地方性社会团体有3万元以上活动资金。",
        fields=(
            FieldSeed("organization_name", "社会团体名称", "text", max_length=100),
            FieldSeed("business_supervisor", "业务主管单位", "text", max_length=100),
            FieldSeed("member_count", "会员数量", "number", min=30, max=1_000_000),
            FieldSeed("activity_funds_wan", "活动资金(万元)", "number", min=3, max=1_000_000),
            FieldSeed("organization_address", "住所", "address", max_length=200),
            FieldSeed("activity_scope", "业务范围", "textarea", max_length=1000),
        ),
        materials=(
            MaterialSeed("社会团体成立登记申请书", file_types=("pdf",)),
            MaterialSeed("业务主管单位批准文件"),
            MaterialSeed("验资报告"),
            MaterialSeed("社会团体章程草案", file_types=("pdf",)),
            MaterialSeed("住所使用证明"),
        ),
    ),
    ItemSeed(
        code="210500-MZJ-QT-0008",
        name="养老机构备案",
        department_code="mzj",
        item_type="other_power",
        legal_basis="《中华人民共和国老年人权益保障法》第四十三条；《养老机构管理办法》(民政部令第66号)",
        statutory_days=0,
        promised_days=0,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="both",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="养老机构依法登记后即可开展服务，并向民政部门备案；备案后纳入综合监管和运营补贴范围。",
        fields=(
            _F_INSTITUTION,
            _F_INSTITUTION_ADDRESS,
            _F_BEDS,
            FieldSeed("care_service_type", "服务类型", "choice", options=("全日托养", "日间照料", "全托和日托")),
            _F_REP_PHONE,
        ),
        materials=(
            MaterialSeed("养老机构备案书", file_types=("pdf",)),
            MaterialSeed("营业执照或法人登记证书", license_type="营业执照"),
            MaterialSeed("养老机构备案承诺书", file_types=("pdf",)),
        ),
    ),
)

_HOUSING_CONSTRUCTION: Final[tuple[ItemSeed, ...]] = (
    ItemSeed(
        code="210500-ZJJ-XK-0001",
        name="商品房预售许可",
        department_code="zjj",
        item_type="licensing",
        legal_basis="《中华人民共和国城市房地产管理法》第四十五条；《城市商品房预售管理办法》",
        statutory_days=10,
        promised_days=5,
        fee="0",
        fee_note="",
        online_level="pre_review",
        applicant_kind="legal",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="已交付全部土地使用权出让金、取得规划和施工许可，投入开发建设资金达到工程建设总投资25%以上的可申请。",
        fields=(
            _F_PROJECT,
            _F_PROJECT_ADDRESS,
            _F_BUILDING_AREA,
            FieldSeed("presale_units", "预售套数", "number", min=1, max=100_000),
            FieldSeed("invested_percent", "已投入开发建设资金比例(%)", "number", min=25, max=100),
            FieldSeed("escrow_bank", "预售资金监管银行", "text", max_length=60),
        ),
        materials=(
            MaterialSeed("商品房预售许可申请表", file_types=("pdf",)),
            _M_LICENSE,
            _M_PROPERTY_CERT,
            _M_PLANNING_PERMIT,
            MaterialSeed("建筑工程施工许可证", license_type="建筑工程施工许可证"),
            MaterialSeed("商品房预售方案", file_types=("pdf",)),
        ),
    ),
    ItemSeed(
        code="210500-ZJJ-XK-0002",
        name="建筑工程施工许可证核发",
        department_code="zjj",
        item_type="licensing",
        legal_basis="《中华人民共和国建筑法》第七条、第八条；《建筑工程施工许可管理办法》(住房和城乡建设部令第18号)",
        statutory_days=7,
        promised_days=3,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="legal",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="工程投资额30万元以上或建筑面积300平方米以上的房屋建筑工程开工前申领；全程网办，核发电子证照。",
        fields=(
            _F_PROJECT,
            _F_PROJECT_ADDRESS,
            _F_BUILDING_AREA,
            FieldSeed("contract_price_wan", "合同价格(万元)", "number", min=0.01, max=100_000_000),
            FieldSeed("construction_company", "施工单位名称", "text", max_length=100),
            FieldSeed("construction_company_uscc", "施工单位统一社会信用代码", "uscc"),
            FieldSeed("supervision_company", "监理单位名称", "text", required=False, max_length=100),
            _F_START,
        ),
        materials=(
            MaterialSeed("建筑工程施工许可申请表", file_types=("pdf",)),
            _M_PLANNING_PERMIT,
            MaterialSeed("建设工程施工合同", file_types=("pdf",)),
            MaterialSeed("建设资金已落实承诺书", file_types=("pdf",)),
        ),
    ),
    ItemSeed(
        code="210500-ZJJ-XK-0003",
        name="建设工程消防验收",
        department_code="zjj",
        item_type="licensing",
        legal_basis="《中华人民共和国消防法》第十三条；《建设工程消防设计审查验收管理暂行规定》(住房和城乡建设部令第51号)",
        statutory_days=15,
        promised_days=5,
        fee="0",
        fee_note="",
        online_level="pre_review",
        applicant_kind="legal",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="特殊建设工程竣工验收后，建设单位申请消防验收；住建部门组织现场评定，出具消防验收意见。",
        fields=(
            _F_PROJECT,
            _F_PROJECT_ADDRESS,
            _F_BUILDING_AREA,
            FieldSeed("fire_design_approval_no", "消防设计审查意见书文号", "text", max_length=60),
            FieldSeed("completion_date", "竣工验收日期", "date"),
        ),
        materials=(
            MaterialSeed("消防验收申请表", file_types=("pdf",)),
            MaterialSeed("工程竣工验收报告", file_types=("pdf",)),
            MaterialSeed("涉及消防的建设工程竣工图纸", file_types=_M_DRAWINGS, max_size_mb=50),
            MaterialSeed("消防设施检测报告", mandatory=False, file_types=("pdf",)),
        ),
    ),
    ItemSeed(
        code="210500-ZJJ-XK-0004",
        name="城镇污水排入排水管网许可",
        department_code="zjj",
        item_type="licensing",
        legal_basis="《城镇排水与污水处理条例》第二十一条；《城镇污水排入排水管网许可管理办法》(住房和城乡建设部令第21号)",
        statutory_days=15,
        promised_days=3,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="both",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="从事餐饮、洗浴、汽车修理等活动的排水户向城镇排水设施排放污水的，应申领排水许可证；小型餐饮实行告知承诺。",
        fields=(
            _F_BUSINESS_NAME,
            _F_BUSINESS_ADDRESS,
            FieldSeed(
                "drainage_category",
                "排水户类型",
                "choice",
                options=("餐饮", "洗浴", "汽车修理", "洗车", "医疗", "建筑施工", "其他"),
            ),
            FieldSeed("daily_discharge_m3", "日排水量(立方米)", "number", min=0.01, max=1_000_000),
            FieldSeed(
                "pretreatment_facility",
                "预处理设施",
                "choice",
                options=("隔油池", "化粪池", "沉淀池", "其他预处理设施", "无"),
            ),
            _F_REP_PHONE,
        ),
        materials=(
            MaterialSeed("排水许可申请表", file_types=("pdf",)),
            replace(_M_LICENSE, mandatory=False),
            MaterialSeed("排水管网及预处理设施平面图"),
            MaterialSeed("排水水质检测报告", mandatory=False, file_types=("pdf",)),
        ),
    ),
    ItemSeed(
        code="210500-ZJJ-JF-0005",
        name="公共租赁住房保障资格申请",
        department_code="zjj",
        item_type="benefit",
        legal_basis="《公共租赁住房管理办法》(住房和城乡建设部令第11号)",
        statutory_days=30,
        promised_days=20,
        fee="0",
        fee_note="",
        online_level="pre_review",
        applicant_kind="person",
        handling_scope="local",
        region_codes=_COUNTIES,
        guide="城镇中等偏下收入住房困难家庭、新就业无房职工和稳定就业的外来务工人员可申请，经审核公示后轮候配租。",
        fields=(
            _F_FAMILY_SIZE,
            _F_FAMILY_INCOME,
            _F_HOME,
            FieldSeed("housing_area_per_capita", "现住房人均建筑面积(平方米)", "number", min=0, max=1000),
            _F_REASON,
        ),
        materials=(
            MaterialSeed("公共租赁住房申请表", file_types=("pdf",)),
            _M_HUKOU,
            _M_ECON_AUTH,
            MaterialSeed("劳动合同或就业证明", mandatory=False),
        ),
    ),
)

_NATURAL_RESOURCES: Final[tuple[ItemSeed, ...]] = (
    ItemSeed(
        code="210500-ZRZY-QR-0001",
        name="不动产转移登记(存量房买卖)",
        department_code="zrzyj",
        item_type="confirmation",
        legal_basis="《中华人民共和国民法典》第二百零九条、第二百一十四条；《不动产登记暂行条例》第二十条",
        statutory_days=30,
        promised_days=3,
        fee="80",
        fee_note="住宅类每件80元(含第一本证书工本费)；非住宅类每件550元",
        online_level="pre_review",
        applicant_kind="both",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="买卖双方在线申请，登记、交易、税务“一窗受理、并行办理”，缴清税费后登簿发证，电子不动产权证书同步签发。",
        fields=(
            _F_CERT_NO,
            _F_PROPERTY_ADDRESS,
            _F_BUILDING_AREA,
            _F_PRICE,
            FieldSeed("house_usage", "房屋用途", "choice", options=("住宅", "商业", "办公", "其他")),
            FieldSeed("counterparty_name", "交易对方姓名(名称)", "text", max_length=100),
            FieldSeed("counterparty_id_code", "交易对方证件号码", "text", max_length=30),
        ),
        materials=(
            _M_REGISTRATION_FORM,
            _M_PROPERTY_CERT,
            _M_SALE_CONTRACT,
            _M_MARRIAGE,
            MaterialSeed("契税完税凭证", mandatory=False, license_type="完税证明"),
        ),
    ),
    ItemSeed(
        code="210500-ZRZY-QR-0002",
        name="不动产抵押权首次登记",
        department_code="zrzyj",
        item_type="confirmation",
        legal_basis="《中华人民共和国民法典》第三百九十五条、第四百零二条；《不动产登记暂行条例》第二十条",
        statutory_days=30,
        promised_days=1,
        fee="80",
        fee_note="住宅类每件80元；小微企业申请办理的免收",
        online_level="full",
        applicant_kind="both",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="抵押人与抵押权人(银行、公积金中心)共同申请，银行端“不动产登记+金融服务”网上申请，1个工作日内办结。",
        fields=(
            _F_CERT_NO,
            _F_PROPERTY_ADDRESS,
            _F_LOAN,
            _F_LOAN_TERM,
            FieldSeed("mortgagee", "抵押权人", "text", max_length=100),
        ),
        materials=(
            _M_REGISTRATION_FORM,
            _M_PROPERTY_CERT,
            MaterialSeed("抵押合同", file_types=("pdf",)),
            MaterialSeed("主债权合同(借款合同)", file_types=("pdf",)),
        ),
    ),
    ItemSeed(
        code="210500-ZRZY-XK-0003",
        name="建设用地规划许可证核发",
        department_code="zrzyj",
        item_type="licensing",
        legal_basis="《中华人民共和国城乡规划法》第三十七条、第三十八条",
        statutory_days=20,
        promised_days=10,
        fee="0",
        fee_note="",
        online_level="pre_review",
        applicant_kind="legal",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="以出让或划拨方式取得国有建设用地使用权的建设项目申请；与用地批准合并办理，核发电子证照。",
        fields=(
            _F_PROJECT,
            _F_PROJECT_ADDRESS,
            _F_LAND_AREA,
            FieldSeed(
                "land_use",
                "用地性质",
                "choice",
                options=("居住用地", "商业服务业用地", "工业用地", "公共管理与公共服务用地", "交通运输用地"),
            ),
            FieldSeed("supply_method", "供地方式", "choice", options=("出让", "划拨")),
        ),
        materials=(
            MaterialSeed("建设用地规划许可申请表", file_types=("pdf",)),
            MaterialSeed("国有建设用地使用权出让合同(划拨决定书)", file_types=("pdf",)),
            _M_PROJECT_APPROVAL,
            MaterialSeed("用地红线图", file_types=_M_DRAWINGS, max_size_mb=50),
        ),
    ),
    ItemSeed(
        code="210500-ZRZY-XK-0004",
        name="建设工程规划许可证核发",
        department_code="zrzyj",
        item_type="licensing",
        legal_basis="《中华人民共和国城乡规划法》第四十条",
        statutory_days=20,
        promised_days=10,
        fee="0",
        fee_note="",
        online_level="pre_review",
        applicant_kind="legal",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="在城市、镇规划区内进行建筑物、构筑物、道路、管线等工程建设的，提交设计方案，经审查核发许可证。",
        fields=(
            _F_PROJECT,
            _F_PROJECT_ADDRESS,
            _F_BUILDING_AREA,
            FieldSeed("building_height_m", "建筑高度(米)", "number", min=1, max=600),
            FieldSeed("building_count", "单体栋数", "number", min=1, max=1000),
        ),
        materials=(
            MaterialSeed("建设工程规划许可申请表", file_types=("pdf",)),
            _M_PROPERTY_CERT,
            MaterialSeed("建设工程设计方案", file_types=_M_DRAWINGS, max_size_mb=50),
            MaterialSeed("建设用地规划许可证", mandatory=False, license_type="建设用地规划许可证"),
        ),
    ),
    ItemSeed(
        code="210500-ZRZY-XK-0005",
        name="乡村建设规划许可证核发",
        department_code="zrzyj",
        item_type="licensing",
        legal_basis="《中华人民共和国城乡规划法》第四十一条",
        statutory_days=20,
        promised_days=10,
        fee="0",
        fee_note="",
        online_level="pre_review",
        applicant_kind="both",
        handling_scope="local",
        region_codes=_TOWNSHIPS,
        guide="在乡、村庄规划区内进行乡镇企业、乡村公共设施和村民住宅建设的，向乡镇人民政府提出申请。",
        fields=(
            _F_PROJECT_ADDRESS,
            _F_BUILDING_AREA,
            FieldSeed("building_floors", "建筑层数", "number", min=1, max=3),
            _F_CONSTRUCTION_TYPE,
        ),
        materials=(
            MaterialSeed("乡村建设规划许可申请表", file_types=("pdf",)),
            MaterialSeed("村民委员会书面意见"),
            MaterialSeed("建房设计图或通用图", file_types=_M_DRAWINGS, max_size_mb=50),
        ),
    ),
)

_AGRICULTURE: Final[tuple[ItemSeed, ...]] = (
    ItemSeed(
        code="210500-NYNC-XK-0001",
        name="农药经营许可",
        department_code="nyncj",
        item_type="licensing",
        legal_basis="《农药管理条例》第二十四条、第二十五条；《农药经营许可管理办法》",
        statutory_days=20,
        promised_days=10,
        fee="0",
        fee_note="",
        online_level="pre_review",
        applicant_kind="both",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="经营农药(卫生用农药除外)须取得农药经营许可证；经营限制使用农药的须另行申请相应经营范围。",
        fields=(
            _F_BUSINESS_NAME,
            _F_BUSINESS_ADDRESS,
            _F_AREA,
            FieldSeed("warehouse_area_sqm", "仓储面积(平方米)", "number", min=0, max=1_000_000),
            FieldSeed("restricted_pesticides", "是否经营限制使用农药", "bool"),
            _F_REP_PHONE,
        ),
        materials=(
            MaterialSeed("农药经营许可证申请表", file_types=("pdf",)),
            replace(_M_LICENSE, mandatory=False),
            _M_PREMISES,
            MaterialSeed("农药专业技术人员资质证明"),
            MaterialSeed("质量管理和安全防护制度", file_types=("pdf",)),
        ),
    ),
    ItemSeed(
        code="210500-NYNC-XK-0002",
        name="农村村民宅基地审批",
        department_code="nyncj",
        item_type="licensing",
        legal_basis="《中华人民共和国土地管理法》第六十二条；《农业农村部 自然资源部关于规范农村宅基地审批管理的通知》",
        statutory_days=20,
        promised_days=10,
        fee="0",
        fee_note="",
        online_level="offline",
        applicant_kind="person",
        handling_scope="local",
        region_codes=_TOWNSHIPS,
        guide="农村村民一户只能拥有一处宅基地。村民向村集体经济组织提出申请，经村民小组讨论、村级审查后报乡镇审批。",
        fields=(
            FieldSeed("homestead_address", "拟用宅基地位置", "address", max_length=200),
            _F_LAND_AREA,
            _F_BUILDING_AREA,
            _F_CONSTRUCTION_TYPE,
            _F_FAMILY_SIZE,
        ),
        materials=(
            MaterialSeed("农村宅基地和建房(规划许可)申请表", file_types=("pdf",)),
            _M_HUKOU,
            MaterialSeed("村民小组会议记录"),
            MaterialSeed("宅基地使用承诺书", file_types=("pdf",)),
        ),
    ),
    ItemSeed(
        code="210500-NYNC-QR-0003",
        name="拖拉机和联合收割机登记",
        department_code="nyncj",
        item_type="confirmation",
        legal_basis="《农业机械安全监督管理条例》第二十一条；《拖拉机和联合收割机登记规定》",
        statutory_days=5,
        promised_days=2,
        fee="0",
        fee_note="免收号牌、行驶证工本费",
        online_level="pre_review",
        applicant_kind="both",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="拖拉机、联合收割机投入使用前，所有人应申请注册登记，经安全检验合格后核发号牌和行驶证。",
        fields=(
            FieldSeed(
                "machine_type",
                "机械类型",
                "choice",
                options=("轮式拖拉机", "手扶拖拉机", "履带拖拉机", "轮式联合收割机", "履带式联合收割机"),
            ),
            FieldSeed("brand_model", "品牌型号", "text", max_length=60),
            FieldSeed("engine_number", "发动机号", "text", max_length=40),
            FieldSeed("purchase_date", "购置日期", "date"),
        ),
        materials=(
            MaterialSeed("机具来源证明(购机发票)"),
            MaterialSeed("整机出厂合格证明"),
            MaterialSeed("安全技术检验合格证明"),
        ),
    ),
)

_ECOLOGY: Final[tuple[ItemSeed, ...]] = (
    ItemSeed(
        code="210500-STHJ-XK-0001",
        name="排污许可证核发",
        department_code="sthjj",
        item_type="licensing",
        legal_basis="《排污许可管理条例》(国务院令第736号)；《中华人民共和国环境保护法》第四十五条",
        statutory_days=30,
        promised_days=10,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="legal",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="纳入固定污染源排污许可分类管理名录的排污单位，通过全国排污许可证管理信息平台申请；简化管理的20日内办结。",
        fields=(
            _F_BUSINESS_NAME,
            _F_BUSINESS_ADDRESS,
            FieldSeed("management_category", "管理类别", "choice", options=("重点管理", "简化管理")),
            FieldSeed("pollution_industry", "行业类别", "text", max_length=60),
            FieldSeed("main_pollutants", "主要污染物种类", "textarea", max_length=1000),
            _F_REP_PHONE,
        ),
        materials=(
            MaterialSeed("排污许可证申请表", file_types=("pdf",)),
            _M_LICENSE,
            MaterialSeed("自行监测方案", file_types=("pdf",)),
            MaterialSeed("环境影响评价审批文件", mandatory=False, file_types=("pdf",)),
            MaterialSeed("污染防治设施、污染物排放口说明", file_types=("pdf",)),
        ),
    ),
    ItemSeed(
        code="210500-STHJ-XK-0002",
        name="建设项目环境影响报告书审批",
        department_code="sthjj",
        item_type="licensing",
        legal_basis="《中华人民共和国环境影响评价法》第二十二条；《建设项目环境保护管理条例》",
        statutory_days=60,
        promised_days=20,
        fee="0",
        fee_note="",
        online_level="pre_review",
        applicant_kind="legal",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="可能造成重大环境影响的建设项目应编制环境影响报告书，开工前报批；审批前组织技术评估并公示。",
        fields=(_F_PROJECT, _F_PROJECT_ADDRESS, _F_INVESTMENT, _F_ENV_INVESTMENT),
        materials=(
            MaterialSeed("建设项目环境影响评价文件审批申请", file_types=("pdf",)),
            MaterialSeed("环境影响报告书", file_types=_M_DRAWINGS, max_size_mb=50),
            MaterialSeed("公众参与说明", file_types=("pdf",)),
            _M_PROJECT_APPROVAL,
        ),
    ),
    ItemSeed(
        code="210500-STHJ-XK-0003",
        name="建设项目环境影响报告表审批",
        department_code="sthjj",
        item_type="licensing",
        legal_basis="《中华人民共和国环境影响评价法》第二十二条；《建设项目环境保护管理条例》",
        statutory_days=30,
        promised_days=10,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="legal",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="可能造成轻度环境影响的建设项目应编制环境影响报告表，全程网上报批。",
        fields=(_F_PROJECT, _F_PROJECT_ADDRESS, _F_INVESTMENT, _F_ENV_INVESTMENT),
        materials=(
            MaterialSeed("建设项目环境影响评价文件审批申请", file_types=("pdf",)),
            MaterialSeed("环境影响报告表", file_types=_M_DRAWINGS, max_size_mb=50),
            _M_PROJECT_APPROVAL,
        ),
    ),
)

_TRANSPORT: Final[tuple[ItemSeed, ...]] = (
    ItemSeed(
        code="210500-JTYS-XK-0001",
        name="道路货物运输经营许可",
        department_code="jtysj",
        item_type="licensing",
        legal_basis="《中华人民共和国道路运输条例》；《道路货物运输及站场管理规定》",
        statutory_days=20,
        promised_days=5,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="both",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="使用总质量4.5吨及以下普通货运车辆从事普通货运经营的无需申请；其他道路货物运输经营者全程网办。",
        fields=(
            _F_BUSINESS_NAME,
            _F_BUSINESS_ADDRESS,
            FieldSeed(
                "freight_category",
                "经营范围类别",
                "choice",
                options=("道路普通货物运输", "货物专用运输", "大型物件运输"),
            ),
            _F_VEHICLES,
            _F_DRIVERS,
            _F_REP_PHONE,
        ),
        materials=(
            MaterialSeed("道路货物运输经营申请表", file_types=("pdf",)),
            replace(_M_LICENSE, mandatory=False),
            _M_VEHICLE_DOCS,
            _M_DRIVER_QUAL,
            _M_SAFETY_RULES,
        ),
    ),
    ItemSeed(
        code="210500-JTYS-XK-0002",
        name="道路旅客运输经营许可",
        department_code="jtysj",
        item_type="licensing",
        legal_basis="《中华人民共和国道路运输条例》；《道路旅客运输及客运站管理规定》",
        statutory_days=20,
        promised_days=10,
        fee="0",
        fee_note="",
        online_level="pre_review",
        applicant_kind="legal",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="从事班车客运、包车客运、旅游客运的，应有与经营业务相适应的客车、驾驶人员和安全生产管理制度。",
        fields=(
            _F_BUSINESS_NAME,
            _F_BUSINESS_ADDRESS,
            FieldSeed(
                "passenger_category",
                "客运类别",
                "choice",
                options=("县内班车客运", "县际班车客运", "市际班车客运", "包车客运", "旅游客运"),
            ),
            _F_VEHICLES,
            _F_DRIVERS,
            _F_REP_PHONE,
        ),
        materials=(
            MaterialSeed("道路旅客运输经营申请表", file_types=("pdf",)),
            _M_LICENSE,
            _M_VEHICLE_DOCS,
            _M_DRIVER_QUAL,
            _M_SAFETY_RULES,
        ),
    ),
    ItemSeed(
        code="210500-JTYS-XK-0003",
        name="网络预约出租汽车经营许可",
        department_code="jtysj",
        item_type="licensing",
        legal_basis="《网络预约出租汽车经营服务管理暂行办法》；《国务院对确需保留的行政审批项目设定行政许可的决定》(国务院令第412号)",
        statutory_days=20,
        promised_days=10,
        fee="0",
        fee_note="",
        online_level="pre_review",
        applicant_kind="legal",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="网约车平台公司在本市开展经营的，应具备线上线下服务能力，在本市设立分支机构并申请经营许可。",
        fields=(_F_BUSINESS_NAME, _F_BUSINESS_ADDRESS, _F_VEHICLES, _F_PLATFORM, _F_REP_PHONE),
        materials=(
            MaterialSeed("网络预约出租汽车经营申请表", file_types=("pdf",)),
            _M_LICENSE,
            MaterialSeed("线上服务能力认定结果"),
            MaterialSeed("服务质量保障制度", file_types=("pdf",)),
        ),
    ),
    ItemSeed(
        code="210500-JTYS-XK-0004",
        name="网络预约出租汽车驾驶员证核发",
        department_code="jtysj",
        item_type="licensing",
        legal_basis="《网络预约出租汽车经营服务管理暂行办法》第十四条；《出租汽车驾驶员从业资格管理规定》",
        statutory_days=20,
        promised_days=5,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="person",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="取得相应准驾车型机动车驾驶证并具有3年以上驾驶经历，无交通肇事、危险驾驶等犯罪记录，考试合格后发证。",
        fields=(
            FieldSeed("driving_years", "驾龄(年)", "number", min=3, max=60),
            FieldSeed("license_class", "准驾车型", "choice", options=("A1", "A2", "B1", "B2", "C1", "C2")),
            _F_PLATFORM,
            FieldSeed("vehicle_plate", "车辆号牌", "text", required=False, max_length=10),
        ),
        materials=(
            MaterialSeed("机动车驾驶证", license_type="机动车驾驶证"),
            MaterialSeed("无交通肇事犯罪、危险驾驶犯罪记录等承诺书", file_types=("pdf",)),
            MaterialSeed("网约车驾驶员从业资格考试合格证明"),
        ),
    ),
)

_EDUCATION: Final[tuple[ItemSeed, ...]] = (
    ItemSeed(
        code="210500-JYJ-XK-0001",
        name="民办学校设立审批",
        department_code="jyj",
        item_type="licensing",
        legal_basis="《中华人民共和国民办教育促进法》第十二条；《中华人民共和国民办教育促进法实施条例》",
        statutory_days=60,
        promised_days=30,
        fee="0",
        fee_note="",
        online_level="offline",
        applicant_kind="both",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="举办实施学前教育、普通高中教育和中等职业教育的民办学校，由教育行政部门审批，批准的发给办学许可证。",
        fields=(
            FieldSeed("school_name", "学校名称", "text", max_length=100),
            FieldSeed("school_type", "学校类型", "choice", options=("幼儿园", "普通高中", "中等职业学校")),
            FieldSeed("school_address", "办学地址", "address", max_length=200),
            FieldSeed("planned_enrollment", "拟办学规模(人)", "number", min=1, max=100_000),
            FieldSeed("funding_wan", "开办资金(万元)", "number", min=1, max=10_000_000),
            _F_REP_PHONE,
        ),
        materials=(
            MaterialSeed("民办学校设立申请报告", file_types=("pdf",)),
            MaterialSeed("举办者资格证明文件"),
            MaterialSeed("校舍产权或租赁证明"),
            MaterialSeed("资产来源、资金数额及有效证明文件"),
            MaterialSeed("学校章程和首届决策机构组成人员名单", file_types=("pdf",)),
        ),
    ),
    ItemSeed(
        code="210500-JYJ-GG-0002",
        name="义务教育阶段新生入学登记",
        department_code="jyj",
        item_type="public_service",
        legal_basis="《中华人民共和国义务教育法》第十二条",
        statutory_days=20,
        promised_days=10,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="person",
        handling_scope="local",
        region_codes=_COUNTIES,
        guide="适龄儿童少年在户籍或居住地所在学区免试就近入学；随迁子女凭居住证参照户籍学生安排。",
        fields=(
            FieldSeed("student_name", "学生姓名", "text", max_length=30),
            FieldSeed("student_id_number", "学生公民身份号码", "id_number"),
            FieldSeed("grade", "入学年级", "choice", options=("小学一年级", "初中一年级")),
            _F_HOME,
            FieldSeed("is_migrant_child", "是否随迁子女", "bool"),
        ),
        materials=(
            _M_HUKOU,
            replace(_M_PROPERTY_CERT, mandatory=False),
            MaterialSeed("居住证", mandatory=False, license_type="居住证"),
        ),
    ),
    ItemSeed(
        code="210500-JYJ-QR-0003",
        name="教师资格认定",
        department_code="jyj",
        item_type="confirmation",
        legal_basis="《中华人民共和国教师法》第十条、第十三条；《教师资格条例》",
        statutory_days=30,
        promised_days=20,
        fee="0",
        fee_note="",
        online_level="pre_review",
        applicant_kind="person",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="每年春秋两季集中受理。申请人通过中国教师资格网报名，学历、普通话、考试合格信息在线核验。",
        fields=(
            FieldSeed(
                "certificate_level",
                "资格种类",
                "choice",
                options=("幼儿园", "小学", "初级中学", "高级中学", "中等职业学校"),
            ),
            FieldSeed("teaching_subject", "任教学科", "text", max_length=30),
            FieldSeed(
                "mandarin_level", "普通话水平等级", "choice", options=("二级乙等", "二级甲等", "一级乙等", "一级甲等")
            ),
            FieldSeed("exam_passed", "是否已取得教师资格考试合格证明", "bool"),
        ),
        materials=(
            _M_EDUCATION,
            MaterialSeed("普通话水平测试等级证书", license_type="普通话水平测试等级证书"),
            MaterialSeed("教师资格认定体检表"),
            _M_PHOTO,
        ),
    ),
)

_CULTURE: Final[tuple[ItemSeed, ...]] = (
    ItemSeed(
        code="210500-WLGD-XK-0001",
        name="娱乐场所经营许可",
        department_code="wlgdj",
        item_type="licensing",
        legal_basis="《娱乐场所管理条例》第九条；《娱乐场所管理办法》",
        statutory_days=20,
        promised_days=5,
        fee="0",
        fee_note="",
        online_level="pre_review",
        applicant_kind="both",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="设立歌舞、游艺娱乐场所，文化和旅游部门实地检查后作出决定；涉及消防的须取得营业前消防安全检查合格证。",
        fields=(
            _F_BUSINESS_NAME,
            _F_BUSINESS_ADDRESS,
            _F_AREA,
            FieldSeed("venue_type", "场所类型", "choice", options=("歌舞娱乐场所", "游艺娱乐场所")),
            FieldSeed("private_room_count", "包厢(包间)数", "number", min=0, max=1000),
            _F_REP_PHONE,
        ),
        materials=(
            MaterialSeed("娱乐场所经营许可申请书", file_types=("pdf",)),
            _M_LICENSE,
            _M_PREMISES,
            _M_FIRE_CHECK,
            MaterialSeed("无《娱乐场所管理条例》第五条所列情形的书面声明", file_types=("pdf",)),
        ),
    ),
    ItemSeed(
        code="210500-WLGD-XK-0002",
        name="旅行社设立许可",
        department_code="wlgdj",
        item_type="licensing",
        legal_basis="《中华人民共和国旅游法》第二十八条；《旅行社条例》第六条",
        statutory_days=20,
        promised_days=5,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="legal",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="申请经营国内和入境旅游业务，应有固定经营场所和必要营业设施，并存入旅游服务质量保证金。",
        fields=(
            _F_BUSINESS_NAME,
            _F_BUSINESS_ADDRESS,
            _F_AREA,
            FieldSeed("guarantee_deposit_wan", "旅游服务质量保证金(万元)", "number", min=20, max=1000),
            _F_REP_PHONE,
        ),
        materials=(
            MaterialSeed("旅行社设立申请书", file_types=("pdf",)),
            _M_LICENSE,
            _M_PREMISES,
            MaterialSeed("旅游服务质量保证金存单或银行担保"),
            MaterialSeed("营业设施、设备清单", file_types=("pdf",)),
        ),
    ),
    ItemSeed(
        code="210500-WLGD-XK-0003",
        name="互联网上网服务营业场所经营单位设立审批",
        department_code="wlgdj",
        item_type="licensing",
        legal_basis="《互联网上网服务营业场所管理条例》",
        statutory_days=20,
        promised_days=10,
        fee="0",
        fee_note="",
        online_level="pre_review",
        applicant_kind="both",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="设立网吧须符合最低营业面积和计算机台数要求，距中小学校200米以外，经实地检查合格后核发网络文化经营许可证。",
        fields=(
            _F_BUSINESS_NAME,
            _F_BUSINESS_ADDRESS,
            _F_AREA,
            FieldSeed("terminal_count", "计算机终端台数", "number", min=1, max=5000),
            _F_REP_PHONE,
        ),
        materials=(
            MaterialSeed("互联网上网服务营业场所设立申请书", file_types=("pdf",)),
            _M_LICENSE,
            _M_PREMISES,
            _M_FIRE_CHECK,
            MaterialSeed("网络安全技术措施说明", file_types=("pdf",)),
        ),
    ),
)

_EMERGENCY: Final[tuple[ItemSeed, ...]] = (
    ItemSeed(
        code="210500-YJGL-XK-0001",
        name="危险化学品经营许可",
        department_code="yjglj",
        item_type="licensing",
        legal_basis="《危险化学品安全管理条例》第三十三条、第三十五条；《危险化学品经营许可证管理办法》",
        statutory_days=30,
        promised_days=10,
        fee="0",
        fee_note="",
        online_level="pre_review",
        applicant_kind="legal",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="不带储存设施的经营由市应急管理局审批；经营场所、安全管理人员和制度符合要求的核发危险化学品经营许可证。",
        fields=(
            _F_BUSINESS_NAME,
            _F_BUSINESS_ADDRESS,
            FieldSeed("storage_type", "经营方式", "choice", options=("不带储存设施", "带储存设施")),
            FieldSeed("hazardous_chemicals", "经营的危险化学品品种", "textarea", max_length=2000),
            FieldSeed("safety_officer_count", "专职安全管理人员数", "number", min=1, max=1000),
            _F_REP_PHONE,
        ),
        materials=(
            MaterialSeed("危险化学品经营许可证申请书", file_types=("pdf",)),
            _M_LICENSE,
            _M_PREMISES,
            MaterialSeed("主要负责人和安全管理人员考核合格证", license_type="安全生产知识和管理能力考核合格证"),
            _M_SAFETY_RULES,
            MaterialSeed("生产安全事故应急救援预案", file_types=("pdf",)),
        ),
    ),
    ItemSeed(
        code="210500-YJGL-XK-0002",
        name="烟花爆竹经营(零售)许可",
        department_code="yjglj",
        item_type="licensing",
        legal_basis="《烟花爆竹安全管理条例》第十九条；《烟花爆竹经营许可实施办法》",
        statutory_days=20,
        promised_days=5,
        fee="0",
        fee_note="",
        online_level="pre_review",
        applicant_kind="both",
        handling_scope="local",
        region_codes=_COUNTIES,
        guide="零售点由所在地区(县)应急管理部门按布点规划审批，春节期间临时零售点集中受理。",
        fields=(
            _F_BUSINESS_NAME,
            _F_BUSINESS_ADDRESS,
            _F_AREA,
            FieldSeed("retail_period", "零售期限", "choice", options=("春节期间临时零售", "全年零售")),
            FieldSeed("max_storage_cases", "最大存放量(箱)", "number", min=1, max=1000),
            _F_REP_PHONE,
        ),
        materials=(
            MaterialSeed("烟花爆竹经营(零售)许可证申请书", file_types=("pdf",)),
            replace(_M_LICENSE, mandatory=False),
            _M_PREMISES,
            MaterialSeed("安全管理人员培训合格证明"),
        ),
    ),
)

_TAX: Final[tuple[ItemSeed, ...]] = (
    ItemSeed(
        code="210500-SWUJ-GG-0001",
        name="发票领用",
        department_code="swuj",
        item_type="public_service",
        legal_basis="《中华人民共和国发票管理办法》及其实施细则",
        statutory_days=5,
        promised_days=0,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="both",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="新办纳税人完成税务信息确认后可在电子税务局申请数电发票开票额度或纸质发票，即时办结。",
        fields=(
            _F_BUSINESS_NAME,
            FieldSeed(
                "invoice_type",
                "发票种类",
                "choice",
                options=("数电发票(增值税专用发票)", "数电发票(普通发票)", "增值税普通发票(纸质)"),
            ),
            FieldSeed("monthly_invoice_quota_wan", "申请月开票额度(万元)", "number", min=0.1, max=100_000),
            _F_REP_PHONE,
        ),
        materials=(
            replace(_M_LICENSE, mandatory=False),
            MaterialSeed("新办纳税人发票领用承诺书", file_types=("pdf",)),
        ),
    ),
    ItemSeed(
        code="210500-SWUJ-QT-0002",
        name="个人存量房交易契税申报",
        department_code="swuj",
        item_type="other_power",
        legal_basis="《中华人民共和国契税法》第一条、第三条、第九条",
        statutory_days=0,
        promised_days=0,
        fee="0",
        fee_note="依法缴纳契税，不另收取费用",
        online_level="full",
        applicant_kind="both",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="与不动产转移登记一窗受理，系统根据成交价格、面积和家庭住房套数自动计算税额，线上缴纳后电子完税证明推送登记机构。",
        fields=(
            _F_CERT_NO,
            _F_PROPERTY_ADDRESS,
            _F_BUILDING_AREA,
            _F_PRICE,
            FieldSeed("first_home", "是否家庭首套住房", "bool"),
        ),
        materials=(_M_SALE_CONTRACT, _M_PROPERTY_CERT, replace(_M_HUKOU, mandatory=False)),
    ),
)

_URBAN_MANAGEMENT: Final[tuple[ItemSeed, ...]] = (
    ItemSeed(
        code="210500-ZHZF-XK-0001",
        name="临时占用城市道路许可",
        department_code="zhzfj",
        item_type="licensing",
        legal_basis="《城市道路管理条例》第三十一条",
        statutory_days=20,
        promised_days=3,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="both",
        handling_scope="local",
        region_codes=_COUNTIES,
        guide="因施工、堆放物料等特殊情况临时占用城市道路的，向所在区(县)城市管理部门申请；影响交通安全的征求公安交管意见。",
        fields=(
            FieldSeed("occupation_address", "占用地点", "address", max_length=200),
            FieldSeed(
                "occupation_purpose",
                "占用用途",
                "choice",
                options=("施工作业", "临时堆放物料", "商业促销活动", "其他"),
            ),
            FieldSeed("occupation_area_sqm", "占用面积(平方米)", "number", min=0.1, max=100_000),
            FieldSeed("occupation_start_date", "占用开始日期", "date"),
            FieldSeed("occupation_days", "占用天数", "number", min=1, max=180),
            _F_REP_PHONE,
        ),
        materials=(
            MaterialSeed("临时占用城市道路申请表", file_types=("pdf",)),
            MaterialSeed("占道位置平面示意图"),
            MaterialSeed("交通组织方案", mandatory=False, file_types=("pdf",)),
        ),
    ),
    ItemSeed(
        code="210500-ZHZF-XK-0002",
        name="设置大型户外广告审批",
        department_code="zhzfj",
        item_type="licensing",
        legal_basis="《城市市容和环境卫生管理条例》第十一条；《国务院对确需保留的行政审批项目设定行政许可的决定》(国务院令第412号)",
        statutory_days=20,
        promised_days=5,
        fee="0",
        fee_note="",
        online_level="pre_review",
        applicant_kind="both",
        handling_scope="local",
        region_codes=_COUNTIES,
        guide="设置单立柱、楼顶、墙体等大型户外广告及电子显示屏的，须符合户外广告设置规划并提供结构安全证明。",
        fields=(
            _F_BUSINESS_NAME,
            FieldSeed("ad_location", "设置地点", "address", max_length=200),
            FieldSeed(
                "ad_type",
                "广告形式",
                "choice",
                options=("单立柱广告", "楼顶广告", "墙体广告", "电子显示屏", "道路灯杆广告"),
            ),
            FieldSeed("ad_area_sqm", "广告面积(平方米)", "number", min=0.1, max=10_000),
            FieldSeed("display_months", "设置期限(月)", "number", min=1, max=36),
            _F_REP_PHONE,
        ),
        materials=(
            MaterialSeed("户外广告设置申请表", file_types=("pdf",)),
            replace(_M_LICENSE, mandatory=False),
            MaterialSeed("设计效果图及尺寸标注"),
            MaterialSeed("户外广告设施结构安全性证明", file_types=("pdf",)),
            MaterialSeed("设置场地使用证明"),
        ),
    ),
    ItemSeed(
        code="210500-ZHZF-QT-0003",
        name="门头招牌设置备案",
        department_code="zhzfj",
        item_type="other_power",
        legal_basis="《城市市容和环境卫生管理条例》第十一条",
        statutory_days=0,
        promised_days=0,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="both",
        handling_scope="local",
        region_codes=_COUNTIES,
        guide="商户在经营场所外墙设置门头招牌的实行告知承诺备案，在线提交效果图即时备案，城管部门事后核查。",
        fields=(
            _F_BUSINESS_NAME,
            _F_BUSINESS_ADDRESS,
            FieldSeed("sign_text", "招牌文字内容", "text", max_length=60),
            FieldSeed("sign_size", "招牌尺寸(长×高，米)", "text", max_length=30),
            FieldSeed("sign_material", "招牌材质", "choice", options=("金属", "亚克力", "LED发光字", "木质", "其他")),
        ),
        materials=(
            MaterialSeed("招牌设置效果图", file_types=("jpg", "png", "pdf")),
            replace(_M_LICENSE, mandatory=False),
        ),
    ),
    ItemSeed(
        code="210500-ZHZF-XK-0004",
        name="城市建筑垃圾处置核准",
        department_code="zhzfj",
        item_type="licensing",
        legal_basis="《城市建筑垃圾管理规定》(建设部令第139号)；《国务院对确需保留的行政审批项目设定行政许可的决定》(国务院令第412号)",
        statutory_days=20,
        promised_days=5,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="legal",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="施工单位处置建筑垃圾的，应签订运输合同、落实消纳场所，核准后方可运输处置。",
        fields=(
            _F_PROJECT,
            _F_PROJECT_ADDRESS,
            FieldSeed("waste_volume_m3", "预计建筑垃圾量(立方米)", "number", min=1, max=10_000_000),
            FieldSeed("transport_company", "运输单位名称", "text", max_length=100),
            FieldSeed("disposal_site", "消纳场所", "text", max_length=100),
        ),
        materials=(
            MaterialSeed("建筑垃圾处置核准申请表", file_types=("pdf",)),
            _M_PLANNING_PERMIT,
            MaterialSeed("建筑垃圾运输合同", file_types=("pdf",)),
            MaterialSeed("建筑垃圾消纳场所证明"),
        ),
    ),
)

_OTHER_DEPARTMENTS: Final[tuple[ItemSeed, ...]] = (
    ItemSeed(
        code="210500-FGW-QT-0001",
        name="企业投资项目备案",
        department_code="fgw",
        item_type="other_power",
        legal_basis="《企业投资项目核准和备案管理条例》第十三条",
        statutory_days=0,
        promised_days=0,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="legal",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="实行备案管理的企业投资项目，开工前通过全国投资项目在线审批监管平台告知项目信息，即时生成项目代码。",
        fields=(
            _F_PROJECT,
            _F_PROJECT_ADDRESS,
            _F_INVESTMENT,
            FieldSeed("construction_content", "建设规模及内容", "textarea", max_length=2000),
            FieldSeed("project_industry", "所属行业", "text", max_length=60),
            _F_START,
        ),
        materials=(
            MaterialSeed("项目信息真实性承诺书", file_types=("pdf",)),
            _M_LICENSE,
        ),
    ),
    ItemSeed(
        code="210500-SLJ-XK-0001",
        name="生产建设项目水土保持方案审批",
        department_code="slj",
        item_type="licensing",
        legal_basis="《中华人民共和国水土保持法》第二十五条",
        statutory_days=20,
        promised_days=10,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="legal",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="在山区、丘陵区等容易发生水土流失的区域开办生产建设项目，应编制水土保持方案报水行政主管部门审批。",
        fields=(
            _F_PROJECT,
            _F_PROJECT_ADDRESS,
            _F_LAND_AREA,
            FieldSeed("earthwork_volume_m3", "挖填土石方总量(立方米)", "number", min=0, max=100_000_000),
            FieldSeed("soil_conservation_investment_wan", "水土保持投资(万元)", "number", min=0, max=1_000_000),
        ),
        materials=(
            MaterialSeed("生产建设项目水土保持方案审批申请", file_types=("pdf",)),
            MaterialSeed("水土保持方案报告书", file_types=_M_DRAWINGS, max_size_mb=50),
            _M_PROJECT_APPROVAL,
        ),
    ),
    ItemSeed(
        code="210500-SLJ-XK-0002",
        name="取水许可",
        department_code="slj",
        item_type="licensing",
        legal_basis="《中华人民共和国水法》第四十八条；《取水许可和水资源费征收管理条例》",
        statutory_days=45,
        promised_days=20,
        fee="0",
        fee_note="",
        online_level="pre_review",
        applicant_kind="legal",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="直接从江河、湖泊或者地下取用水资源的单位，应申请取水许可；须提交建设项目水资源论证报告。",
        fields=(
            _F_BUSINESS_NAME,
            FieldSeed("water_source", "取水水源", "choice", options=("地表水", "地下水")),
            FieldSeed("intake_location", "取水地点", "address", max_length=200),
            FieldSeed("annual_intake_m3", "年取水量(立方米)", "number", min=1, max=1_000_000_000),
            FieldSeed("water_use", "取水用途", "choice", options=("工业用水", "生活用水", "农业灌溉", "其他")),
        ),
        materials=(
            MaterialSeed("取水许可申请书", file_types=("pdf",)),
            MaterialSeed("建设项目水资源论证报告", file_types=_M_DRAWINGS, max_size_mb=50),
            _M_LICENSE,
        ),
    ),
    ItemSeed(
        code="210500-TYJ-XK-0001",
        name="经营高危险性体育项目许可",
        department_code="tyj",
        item_type="licensing",
        legal_basis="《全民健身条例》第三十二条；《经营高危险性体育项目许可管理办法》",
        statutory_days=30,
        promised_days=10,
        fee="0",
        fee_note="",
        online_level="pre_review",
        applicant_kind="both",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="经营游泳、滑雪、潜水、攀岩等高危险性体育项目，须有符合国家标准的场地设施和足够的救助人员。",
        fields=(
            _F_BUSINESS_NAME,
            _F_BUSINESS_ADDRESS,
            FieldSeed(
                "sport_item",
                "体育项目",
                "choice",
                options=("游泳", "高山滑雪", "自由式滑雪", "单板滑雪", "潜水", "攀岩"),
            ),
            FieldSeed("rescue_staff_count", "社会体育指导人员和救助人员数", "number", min=1, max=1000),
            _F_REP_PHONE,
        ),
        materials=(
            MaterialSeed("经营高危险性体育项目申请书", file_types=("pdf",)),
            replace(_M_LICENSE, mandatory=False),
            MaterialSeed("体育设施符合相关国家标准的说明性材料"),
            MaterialSeed("社会体育指导人员和救助人员资格证明"),
            _M_SAFETY_RULES,
        ),
    ),
    ItemSeed(
        code="210500-SFJ-JF-0001",
        name="法律援助申请",
        department_code="sfj",
        item_type="benefit",
        legal_basis="《中华人民共和国法律援助法》第三十一条、第四十一条、第四十三条",
        statutory_days=7,
        promised_days=3,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="person",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="经济困难公民在追索劳动报酬、请求社会保险待遇等事项中需要法律帮助的，可在线申请；以个人诚信承诺说明经济状况。",
        fields=(
            FieldSeed(
                "case_type",
                "申请事项",
                "choice",
                options=(
                    "追索劳动报酬",
                    "请求给予社会保险待遇",
                    "请求支付赡养费、抚养费、扶养费",
                    "请求工伤事故人身损害赔偿",
                    "请求国家赔偿",
                    "其他",
                ),
            ),
            FieldSeed("case_summary", "案情简述", "textarea", max_length=2000),
            _F_FAMILY_INCOME,
            _F_FAMILY_SIZE,
        ),
        materials=(
            MaterialSeed("法律援助申请表", file_types=("pdf",)),
            MaterialSeed("经济困难状况说明", file_types=("pdf",)),
            MaterialSeed("案件相关证明材料"),
        ),
    ),
    ItemSeed(
        code="210500-TYJR-GG-0001",
        name="退役军人和其他优抚对象优待证申领",
        department_code="tyjrswj",
        item_type="public_service",
        legal_basis="《中华人民共和国退役军人保障法》；《退役军人、其他优抚对象优待证管理办法》",
        statutory_days=30,
        promised_days=15,
        fee="0",
        fee_note="",
        online_level="full",
        applicant_kind="person",
        handling_scope="citywide",
        region_codes=_CITY,
        guide="退役军人和烈士遗属、因公牺牲军人遗属、病故军人遗属等优抚对象可在线申领，信息核验后制发并邮寄。",
        fields=(
            FieldSeed(
                "veteran_category",
                "申领对象类别",
                "choice",
                options=("退役军人", "烈士遗属", "因公牺牲军人遗属", "病故军人遗属", "其他优抚对象"),
            ),
            FieldSeed("discharge_date", "退役时间", "date", required=False),
            _F_CARD_BANK,
            _F_DELIVERY,
            _F_MAILING,
        ),
        materials=(
            MaterialSeed("退出现役证明(退役证)", mandatory=False, license_type="退役证"),
            _M_PHOTO,
        ),
    ),
)

ITEMS: Final[tuple[ItemSeed, ...]] = (
    *_MARKET,
    *_HEALTH,
    *_HUMAN_RESOURCES,
    *_MEDICAL_INSURANCE,
    *_HOUSING_FUND,
    *_PUBLIC_SECURITY,
    *_CIVIL_AFFAIRS,
    *_HOUSING_CONSTRUCTION,
    *_NATURAL_RESOURCES,
    *_AGRICULTURE,
    *_ECOLOGY,
    *_TRANSPORT,
    *_EDUCATION,
    *_CULTURE,
    *_EMERGENCY,
    *_TAX,
    *_URBAN_MANAGEMENT,
    *_OTHER_DEPARTMENTS,
)

# ---------------------------------------------------------------------------------------------------------
# 一件事 bundles
# ---------------------------------------------------------------------------------------------------------

BUNDLES: Final[tuple[BundleSeed, ...]] = (
    BundleSeed(
        code="kaiban-canyindian",
        name="开办餐饮店一件事",
        description="个体工商户登记、食品经营许可、门头招牌备案和排水许可一表申请，经营主体名称、地址和面积只填一次。",
        item_codes=(
            "210500-SCJG-XK-0004",
            "210500-SCJG-XK-0005",
            "210500-ZHZF-QT-0003",
            "210500-ZJJ-XK-0004",
        ),
    ),
    BundleSeed(
        code="qiye-kaiban",
        name="企业开办一件事",
        description="营业执照、公章刻制、发票领用、社保登记和住房公积金缴存登记一网通办，全程1个工作日。",
        item_codes=(
            "210500-SCJG-XK-0001",
            "210500-GAJ-QT-0008",
            "210500-SWUJ-GG-0001",
            "210500-RSJ-GG-0008",
            "210500-GJJ-GG-0004",
        ),
    ),
    BundleSeed(
        code="xinshenger-chusheng",
        name="新生儿出生一件事",
        description="出生医学证明、户口登记、城乡居民医保参保和社会保障卡申领联办，新生儿信息只填一次。",
        item_codes=(
            "210500-WJW-GG-0005",
            "210500-GAJ-QR-0002",
            "210500-YBJ-GG-0004",
            "210500-RSJ-GG-0005",
        ),
    ),
    BundleSeed(
        code="tuixiu",
        name="退休一件事",
        description="职工退休申请、职工医保退休待遇核定和住房公积金退休提取一次申请，待遇发放账户只填一次。",
        item_codes=("210500-RSJ-JF-0003", "210500-YBJ-QR-0006", "210500-GJJ-GG-0001"),
    ),
    BundleSeed(
        code="shenhou",
        name="身后一件事",
        description="户口注销、殡葬费用补贴、丧葬补助金抚恤金和住房公积金提取联办，逝者信息和死亡证明只提交一次。",
        item_codes=(
            "210500-GAJ-QR-0003",
            "210500-MZJ-JF-0005",
            "210500-RSJ-JF-0004",
            "210500-GJJ-GG-0002",
        ),
    ),
    BundleSeed(
        code="ershoufang-jiaoyi",
        name="二手房交易登记一件事",
        description="存量房转移登记、契税申报、公积金贷款和抵押登记一窗受理、并行办理。",
        item_codes=(
            "210500-ZRZY-QR-0001",
            "210500-SWUJ-QT-0002",
            "210500-GJJ-GG-0003",
            "210500-ZRZY-QR-0002",
        ),
    ),
    BundleSeed(
        code="kaiban-meirongdian",
        name="开办美容美发店一件事",
        description="个体工商户登记、公共场所卫生许可和门头招牌备案一次办。",
        item_codes=("210500-SCJG-XK-0004", "210500-WJW-XK-0001", "210500-ZHZF-QT-0003"),
    ),
    BundleSeed(
        code="kaiban-binguan",
        name="开办宾馆一件事",
        description="企业设立登记、公共场所卫生许可、旅馆业特种行业许可和门头招牌备案联办。",
        item_codes=(
            "210500-SCJG-XK-0001",
            "210500-WJW-XK-0001",
            "210500-GAJ-XK-0007",
            "210500-ZHZF-QT-0003",
        ),
    ),
    BundleSeed(
        code="kaiban-bianlidian",
        name="开办便利店一件事",
        description="个体工商户登记、仅销售预包装食品备案和门头招牌备案一次办。",
        item_codes=("210500-SCJG-XK-0004", "210500-SCJG-QT-0006", "210500-ZHZF-QT-0003"),
    ),
    BundleSeed(
        code="gongcheng-kaigong",
        name="工程建设项目开工一件事",
        description="建设工程规划许可、施工许可和建筑垃圾处置核准联办，项目信息只填一次。",
        item_codes=("210500-ZRZY-XK-0004", "210500-ZJJ-XK-0002", "210500-ZHZF-XK-0004"),
    ),
)


# ---------------------------------------------------------------------------------------------------------
# Accessors
# ---------------------------------------------------------------------------------------------------------


def item_index(items: tuple[ItemSeed, ...] = ITEMS) -> dict[str, ItemSeed]:
    """Items by code."""
    return {item.code: item for item in items}


def bundle_index(bundles: tuple[BundleSeed, ...] = BUNDLES) -> dict[str, BundleSeed]:
    """Bundles by code."""
    return {bundle.code: bundle for bundle in bundles}


def all_field_types(items: tuple[ItemSeed, ...] = ITEMS) -> frozenset[str]:
    """The field types the catalogue uses (a subset of FIELD_TYPES)."""
    return frozenset(f.type for item in items for f in item.fields)


def items_by_department(items: tuple[ItemSeed, ...] = ITEMS) -> dict[str, tuple[ItemSeed, ...]]:
    """Items grouped by department code, in catalogue order."""
    out: dict[str, list[ItemSeed]] = {}
    for item in items:
        out.setdefault(item.department_code, []).append(item)
    return {code: tuple(group) for code, group in out.items()}


def bundle_items(code: str) -> tuple[ItemSeed, ...]:
    """The bundle's items in bundle order."""
    index = item_index()
    return tuple(index[item_code] for item_code in bundle_index()[code].item_codes)


def bundle_fields(code: str) -> tuple[FieldSeed, ...]:
    """The bundle's merged form: each field name once (first definition), required if any item requires it."""
    merged: dict[str, FieldSeed] = {}
    for item in bundle_items(code):
        for f in item.fields:
            seen = merged.get(f.name)
            if seen is None:
                merged[f.name] = f
            elif f.required and not seen.required:
                merged[f.name] = replace(seen, required=True)
    return tuple(merged.values())


def bundle_materials(code: str) -> tuple[MaterialSeed, ...]:
    """The bundle's merged materials: each name once, mandatory if any item requires it."""
    merged: dict[str, MaterialSeed] = {}
    for item in bundle_items(code):
        for m in item.materials:
            seen = merged.get(m.name)
            if seen is None:
                merged[m.name] = m
            elif m.mandatory and not seen.mandatory:
                merged[m.name] = replace(seen, mandatory=True)
    return tuple(merged.values())
