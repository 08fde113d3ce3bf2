"""Where an appeal happened: an explicit region code, or the deepest region named in the address."""

from __future__ import annotations

import time

from digigov.core.errors import ValidationFailed
from digigov.identity.models import Region, RegionLevel

_CACHE_SECONDS = 60.0  # regions change rarely; intake runs many times a second
_cache: tuple[float, list[Region]] | None = None


def _regions() -> list[Region]:
    global _cache
    now = time.monotonic()
    if _cache is None or now - _cache[0] > _CACHE_SECONDS:
        _cache = (now, list(Region.objects.all()))
    return _cache[1]


def city_region() -> Region:
    for region in _regions():
        if region.level == RegionLevel.CITY:
            return region
    raise Region.DoesNotExist("the city region is not loaded")


def locate(address: str, region_code: str = "") -> Region:
    """An explicit code must exist; otherwise the most specific region whose name appears in the address and
    agrees with any district named there; the city when nothing matches."""
    regions = _regions()
    if region_code:
        for region in regions:
            if region.code == region_code:
                return region
        raise ValidationFailed("所在区域编码不存在", fields={"region_code": "未知的行政区划编码"})
    named = [r for r in regions if r.level != RegionLevel.CITY and r.name and r.name in address]
    districts = [r for r in named if r.level == RegionLevel.DISTRICT]
    if districts:
        named = [r for r in named if any(d.contains(r) for d in districts)]
    if not named:
        return city_region()
    return max(named, key=lambda r: (len(r.code.rstrip("0")), len(r.name)))
