"""Print the text messages the development SMS adapter recorded instead of sending (newest first)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from digigov.core.models import SmsOutboxMessage


class Command(BaseCommand):
    help = "Lists the SMS outbox (development): masked number, purpose and text of the latest messages."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--last", type=int, default=10, help="how many messages (default 10)")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("生产环境不提供短信发件箱（短信由网关发送）")
        for message in SmsOutboxMessage.objects.all()[: options["last"]]:
            resent = f" (同一投递键收到 {message.attempts} 次)" if message.attempts > 1 else ""
            key = f" {message.delivery_key}" if message.delivery_key else ""
            self.stdout.write(
                f"{message.created_at:%Y-%m-%d %H:%M:%S} {message.mobile_masked} {message.purpose}{key}{resent}"
            )
            self.stdout.write(f"  {message.text}")
