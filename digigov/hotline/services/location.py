"""Where an appeal happened: an explicit region code, or the deepest region named in the address."""

from __future__ import annotations

from django.db.models import F, Value
from django.db.models.functions import Length

from digigov.core.errors import ValidationFailed
from digigov.identity.models import Region, RegionLevel


def city_region() -> Region:
    return Region.objects.get(level=RegionLevel.CITY)


def locate(address: str, region_code: str = "") -> Region:
    """An explicit code must exist; otherwise the most specific region whose name appears in the address and
    agrees with any district named there; the city when nothing matches. The database does the matching (one
    query over the regions' names), so there is no cache to go stale."""
    if region_code:
        region = Region.objects.filter(code=region_code).first()
        if region is None:
            raise ValidationFailed("所在区域编码不存在", fields={"region_code": "未知的行政区划编码"})
        return region
    named = list(
        Region.objects.exclude(level=RegionLevel.CITY)
        .annotate(address=Value(address[:200]), name_length=Length("name"))
        .filter(name_length__gt=1, address__contains=F("name"))
    )
    districts = [r for r in named if r.level == RegionLevel.DISTRICT]
    if districts:
        named = [r for r in named if any(d.contains(r) for d in districts)]
    if not named:
        return city_region()
    return max(named, key=lambda r: (len(r.code.rstrip("0")), len(r.name)))
