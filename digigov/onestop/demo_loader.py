"""The demo city's 一网通办: working calendar, catalogue, 一件事 bundles, and applications in every stage.

Idempotent. Everything goes in through the services, as a person's actions would.
"""

from __future__ import annotations

from datetime import date

from digigov.core.models import CalendarYear
from digigov.core.policy import SYSTEM
from digigov.core.services.calendar import calendar_seed_from_chinesecalendar, calendar_year_publish
from digigov.onestop import demo_catalogue as catalogue
from digigov.onestop.models import Bundle, ServiceItem
from digigov.onestop.services.catalogue import ItemSpec, MaterialSpec, bundle_upsert, item_upsert

# chinesecalendar ends with 2026. Until the State Council's 2027 notice is entered by an administrator, the demo
# counts 2027's statutory holidays (《全国年节及纪念日放假办法》) without the make-up days, marked provisional.
PROVISIONAL_2027 = [
    (date(2027, 1, 1), False, "元旦(暂定)"),
    *[(date(2027, 2, d), False, "春节(暂定)") for d in (5, 8)],  # 除夕 and 初三 fall on weekdays; 6-7 weekend
    (date(2027, 4, 5), False, "清明节(暂定)"),
    (date(2027, 5, 3), False, "劳动节(暂定)"),  # 5月1-2日 is a weekend; the observed day is an assumption
    (date(2027, 6, 9), False, "端午节(暂定)"),
    (date(2027, 9, 15), False, "中秋节(暂定)"),
    *[(date(2027, 10, d), False, "国庆节(暂定)") for d in (1, 4, 5)],
]


def _seed_calendar() -> None:
    if not CalendarYear.objects.exists():
        calendar_seed_from_chinesecalendar(actor=SYSTEM)
    if not CalendarYear.objects.filter(year=2027).exists():
        calendar_year_publish(actor=SYSTEM, year=2027, days=PROVISIONAL_2027)


def _item_spec(seed: catalogue.ItemSeed) -> ItemSpec:
    return ItemSpec(
        code=seed.code,
        name=seed.name,
        department_code=seed.department_code,
        item_type=seed.item_type,
        legal_basis=seed.legal_basis,
        statutory_days=seed.statutory_days,
        promised_days=seed.promised_days,
        fee=seed.fee,
        fee_note=seed.fee_note,
        online_level=seed.online_level,
        applicant_kind=seed.applicant_kind,
        handling_scope=seed.handling_scope,
        region_codes=tuple(seed.region_codes),
        guide=seed.guide,
        form_fields=[_field_dict(f) for f in seed.fields],
        materials=tuple(
            MaterialSpec(m.name, m.mandatory, tuple(m.file_types), m.max_size_mb, m.license_type)
            for m in seed.materials
        ),
        auto_approval_rules=[{"fact": r.fact, "op": r.op, "value": _json_value(r.value)} for r in seed.auto_approval],
    )


def _json_value(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def _field_dict(field: catalogue.FieldSeed) -> dict[str, object]:
    raw: dict[str, object] = {"name": field.name, "label": field.label, "type": field.type, "required": field.required}
    optional = {
        "options": list(field.options),
        "max_length": field.max_length,
        "min": field.min,
        "max": field.max,
        "help": field.help,
    }
    raw.update({key: value for key, value in optional.items() if value not in (None, [], "")})
    return raw


def _load_catalogue() -> None:
    existing = set(ServiceItem.objects.values_list("code", flat=True))
    for seed in catalogue.ITEMS:
        if seed.code not in existing:
            item_upsert(actor=SYSTEM, spec=_item_spec(seed))
    bundles = set(Bundle.objects.values_list("code", flat=True))
    for bundle in catalogue.BUNDLES:
        if bundle.code not in bundles:
            bundle_upsert(
                actor=SYSTEM,
                code=bundle.code,
                name=bundle.name,
                description=bundle.description,
                item_codes=tuple(bundle.item_codes),
            )


def load_demo_services() -> dict[str, int]:
    _seed_calendar()
    _load_catalogue()
    return {"service_items": ServiceItem.objects.count(), "bundles": Bundle.objects.count()}
