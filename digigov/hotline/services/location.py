"""Where an appeal happened: an explicit region code, or the deepest region named in the address.

The regions are few (a city's districts, streets and communities) and read on every intake, by the location
match here and by the duplicate check (street names, a street's regions): they are kept per process in a
``RegionIndex`` and reloaded when any process changes them (``region_upsert`` invalidates ``REGIONS_CACHE``).
"""

from __future__ import annotations

from dataclasses import dataclass

from digigov.core.errors import ValidationFailed
from digigov.core.process_cache import ProcessCache
from digigov.identity.models import Region, RegionLevel
from digigov.identity.models.org import SCOPE_DIGITS
from digigov.identity.services.org import REGIONS_CACHE


@dataclass(frozen=True)
class RegionIndex:
    """Every region, loaded once per process. The Region objects are shared: read them, never change them."""

    by_code: dict[str, Region]
    by_id: dict[int, Region]
    named: tuple[Region, ...]  # below the city, with a name of two characters or more: what an address names
    city: Region | None

    @classmethod
    def load(cls) -> RegionIndex:
        regions = list(Region.objects.all())
        city = next((r for r in regions if r.level == RegionLevel.CITY), None)
        named = tuple(r for r in regions if r.level != RegionLevel.CITY and len(r.name) > 1)
        return cls({r.code: r for r in regions}, {r.pk: r for r in regions}, named, city)

    def street_name(self, region: Region) -> str:
        """The name analytics calls a region's street: a community's street, a street itself, otherwise the
        region's own name (a district, the city)."""
        if region.level == RegionLevel.COMMUNITY:
            digits = SCOPE_DIGITS[RegionLevel.STREET]
            street = self.by_code.get(region.code[:digits] + "0" * (12 - digits))
            return street.name if street is not None else region.name
        return region.name

    def ids_under(self, prefix: str) -> list[int]:
        return [pk for pk, r in self.by_id.items() if r.code.startswith(prefix)]


_regions: ProcessCache[RegionIndex] = ProcessCache(REGIONS_CACHE, RegionIndex.load)


def regions() -> RegionIndex:
    return _regions.get()


def city_region() -> Region:
    city = regions().city
    if city is None:
        raise Region.DoesNotExist("no city region loaded")
    return city


def locate(address: str, region_code: str = "") -> Region:
    """An explicit code must exist; otherwise the most specific region whose name appears in the address and
    agrees with any district named there; the city when nothing matches."""
    index = regions()
    if region_code:
        region = index.by_code.get(region_code)
        if region is None:
            raise ValidationFailed("所在区域编码不存在", fields={"region_code": "未知的行政区划编码"})
        return region
    address = address[:200]
    named = [r for r in index.named if r.name in address]
    districts = [r for r in named if r.level == RegionLevel.DISTRICT]
    if districts:
        named = [r for r in named if any(d.contains(r) for d in districts)]
    if not named:
        return city_region()
    return max(named, key=lambda r: (len(r.code.rstrip("0")), len(r.name)))
