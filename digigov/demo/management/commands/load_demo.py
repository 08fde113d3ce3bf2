"""`python manage.py load_demo`: load the demo city 本溪市 (idempotent; refused in production)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from digigov.demo.loader import load_demo
from digigov.identity.demo_loader import DEMO_PASSWORD


class Command(BaseCommand):
    help = "载入演示城市 本溪市（区划、部门、人员、市民、企业、工作日历、事项目录、一件事）；可重复执行"

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("生产环境不能载入演示数据 (DIGIGOV_ENV=production)")
        counts = load_demo()
        summary = ", ".join(f"{name} {count}" for name, count in counts.items())
        self.stdout.write(f"演示城市 本溪市 已就绪：{summary}。演示账号密码：{DEMO_PASSWORD}")
