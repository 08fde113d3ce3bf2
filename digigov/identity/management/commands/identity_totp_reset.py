"""Break glass: remove a staff account's authenticators from the server, audited, the owner told.

For when no administrator holding the account's rights can sign in (e.g. the only system administrator lost
the phone). Everyone else goes through /console/staff/<id>/security/.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from digigov.core.errors import DomainError
from digigov.core.policy import SYSTEM
from digigov.identity.models import StaffProfile
from digigov.identity.services.account_admin import staff_totp_reset


class Command(BaseCommand):
    help = "Removes a staff account's TOTP devices (its next login enrols anew); audited."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--reason", required=True, help="why, for the audit trail (4 to 200 characters)")

    def handle(self, *args: Any, **options: Any) -> None:
        staff = StaffProfile.objects.filter(user__username=options["username"]).select_related("user").first()
        if staff is None:
            raise CommandError("没有该登录名的工作人员")
        try:
            removed = staff_totp_reset(actor=SYSTEM, staff=staff, reason=options["reason"])
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"已移除 {removed} 个身份验证器；该账号下次登录时须重新绑定")
