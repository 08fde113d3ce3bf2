"""What intake keeps per process (the regions, the active routing version, the channels and time limits) follows
every change: the writer replaces a token in the shared cache, and every process compares it on each read."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from digigov.core.policy import SYSTEM
from digigov.core.process_cache import version_key
from digigov.hotline.routing.store import active_version, router_for
from digigov.hotline.services import assignment, location
from digigov.hotline.services.reference import intake_reference, taxonomy_load
from digigov.hotline.services.routing_models import publish_version
from digigov.identity.models import Department, Region
from digigov.identity.services.org import REGIONS_CACHE, department_upsert, region_upsert

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_a_region_renamed_is_located_at_once_and_announced_to_other_processes() -> None:
    location.locate("本溪市平山区东明街道5号")  # the regions are loaded
    street = Region.objects.select_related("parent").get(name="东明街道")
    assert street.parent is not None
    token = cache.get(version_key(REGIONS_CACHE))
    region_upsert(
        actor=SYSTEM, code=street.code, name="东明新区街道", level=street.level, parent_code=street.parent.code
    )
    assert cache.get(version_key(REGIONS_CACHE)) != token  # what other processes compare
    assert location.locate("本溪市平山区东明新区街道5号") == street


@pytest.mark.django_db
def test_a_department_renamed_is_what_a_confident_routing_dispatches_to() -> None:
    assignment._level1.forget()  # as a fresh process: no marks left by earlier tests' rolled-back writes
    department = level1_department("教育文体")
    assert department.name == "本溪市教育局" and level1_department("教育文体") is department  # kept
    department_upsert(
        actor=SYSTEM,
        code=department.code,
        name="本溪市教育和体育局",
        short_name="市教体局",
        uscc=department.uscc,
        region_code=department.region.code,
        kind=department.kind,
    )
    assert level1_department("教育文体").name == "本溪市教育和体育局"


def level1_department(label: str) -> Department:
    """The department a confident routing to ``label`` dispatches to, as intake sees it."""
    department = assignment._level1.get()[label].department
    assert department is not None
    return department


def _in_another_process(code: str) -> None:
    """Run ``code`` (after django.setup()) in a fresh Python process on this test database and shared cache."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        database_url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    else:
        database_url = f"sqlite:///{db['NAME']}"
    cache_dir = settings.CACHES["default"].get("LOCATION", "") if not os.environ.get("REDIS_URL") else ""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DIGIGOV_CACHE_DIR": cache_dir,
        "DIGIGOV_HOTLINE_MODEL_DIR": str(settings.HOTLINE_MODEL_DIR),
        "DIGIGOV_AUDIT_LANES": str(settings.AUDIT_CHAIN_LANES),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    script = f"import django\ndjango.setup()\n{code}"
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True, timeout=300)  # noqa: S603 (our own code)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("demo_city")
def test_changes_made_by_another_process_are_seen_here() -> None:
    first = active_version()
    assert first is not None
    second = publish_version(router_for(first).model, actor=SYSTEM)
    street = Region.objects.select_related("parent").get(name="东明街道")
    assert street.parent is not None
    # Loaded and kept here before the other process writes.
    assert active_version() == second and active_version() is active_version()
    assert location.locate("本溪市平山区东明新区街道5号") != street
    assert "web" in intake_reference().channels

    _in_another_process(
        "from digigov.core.policy import SYSTEM\n"
        "from digigov.hotline.services.routing_models import activate_version\n"
        "from digigov.hotline.services.reference import channel_upsert\n"
        "from digigov.identity.services.org import region_upsert\n"
        f"activate_version(actor=SYSTEM, version={first.version})\n"
        f"region_upsert(actor=SYSTEM, code='{street.code}', name='东明新区街道', level='street',"
        f" parent_code='{street.parent.code}')\n"
        "channel_upsert(actor=SYSTEM, code='web', name='网站', agent_entered=False, is_active=False)\n"
    )

    current: Any = active_version()
    assert current is not None and current.version == first.version
    assert location.locate("本溪市平山区东明新区街道5号") == street
    assert "web" not in intake_reference().channels


@pytest.mark.django_db
def test_a_level1_category_loaded_into_the_taxonomy_can_be_routed_to_at_once() -> None:
    assignment._level1.forget()
    assert "应急管理" not in assignment._level1.get()
    department = level1_department("教育文体")
    taxonomy_load(actor=SYSTEM, rows=[("应急管理", "安全生产", "")], departments={"应急管理": department.code})
    assert assignment._level1.get()["应急管理"].department == department
