"""The shape every domain keeps (docs/architecture.md, "How to add a domain"): writes in a services package,
no ORM query in a view or an API operation (reads are selectors). Import boundaries are .importlinter's."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the digigov package
DOMAINS = ("identity", "onestop", "hotline", "credit")
MANAGER_QUERY = re.compile(r"\b[A-Z]\w*\.objects\.")
# TODO(issue 10 idempotency): the bundle API's exists() pre-check goes with core.idempotency; then delete this.
KNOWN_VIEW_QUERIES = {("onestop/api.py", "IdempotencyKeyRow.objects.")}


def _view_modules(domain: Path) -> list[Path]:
    found = [*domain.glob("views/*.py"), *domain.glob("views.py"), *domain.glob("api.py")]
    found += [*domain.glob("*/views.py")]  # e.g. hotline/open311/views.py
    return sorted(found)


def test_no_view_or_api_operation_queries_the_orm() -> None:
    offenders = set()
    for domain in DOMAINS:
        for path in _view_modules(ROOT / domain):
            for match in MANAGER_QUERY.finditer(path.read_text(encoding="utf-8")):
                offenders.add((str(path.relative_to(ROOT)), match.group(0)))
    assert offenders == KNOWN_VIEW_QUERIES, "move these reads into the domain's selectors"


def test_the_scan_sees_views_and_api_modules() -> None:
    seen = {str(p.relative_to(ROOT)) for d in DOMAINS for p in _view_modules(ROOT / d)}
    assert {"onestop/api.py", "hotline/views/queue.py", "hotline/open311/views.py", "identity/views/auth.py"} <= seen
    assert MANAGER_QUERY.search("x = Region.objects.filter(code=c)")
    assert not MANAGER_QUERY.search("x = selectors.region_by_code(c)")


def test_every_write_lives_in_a_services_package() -> None:
    for name in (*DOMAINS, "core"):
        domain = ROOT / name
        assert (domain / "services" / "__init__.py").is_file(), f"{name} has no services package"
        assert not (domain / "services.py").exists(), f"{name}/services.py: writes go in {name}/services/"
        assert not list(domain.glob("services_*.py")), f"{name}/services_*.py: writes go in {name}/services/"
