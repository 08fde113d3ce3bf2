"""`python manage.py hotline_open311_client create NAME | list | revoke ID`: the Open311 clients and their keys.

`create` prints the new API key once (only its SM3 digest is stored); `revoke` stops a key at once. Both are
audited, as the system (or as --by USERNAME, the member of staff who asked for it).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from digigov.core.errors import DomainError
from digigov.core.policy import SYSTEM, SystemActor, operator
from digigov.hotline.open311.selectors import open311_client_get, open311_clients
from digigov.hotline.services.open311_clients import open311_client_create, open311_client_revoke
from digigov.identity.models import User


class Command(BaseCommand):
    help = "管理 Open311 接入方：create 名称（发放密钥，仅显示一次）、list、revoke 编号（吊销密钥）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--by", default="", help="the username recorded in the audit trail (default: system)")
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="register a client and print its API key once")
        create.add_argument("name")
        actions.add_parser("list", help="list the clients (key hints only)")
        revoke = actions.add_parser("revoke", help="revoke a client's key")
        revoke.add_argument("client_id", type=int)

    def _actor(self, username: str) -> SystemActor:
        """The operator on the server acts as the system; --by names the user it is recorded for."""
        if not username:
            return SYSTEM
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"用户不存在或已停用：{username}")
        return operator(user)

    def handle(self, *args: Any, action: str, by: str = "", **options: Any) -> None:
        actor = self._actor(by)
        try:
            if action == "create":
                client, key = open311_client_create(actor=actor, name=options["name"])
                self.stdout.write(f"已登记接入方 #{client.pk}「{client.name}」。接入密钥（只显示这一次，请妥善保存）：")
                self.stdout.write(key)
            elif action == "revoke":
                client = open311_client_get(options["client_id"])
                open311_client_revoke(actor=actor, client=client)
                self.stdout.write(f"已吊销接入方 #{client.pk}「{client.name}」的密钥")
            else:
                for client in open311_clients():
                    state = "有效" if client.is_active else "已吊销"
                    self.stdout.write(
                        f"#{client.pk}\t{client.name}\t{client.key_hint}…\t{state}\t{client.created_at:%Y-%m-%d}"
                    )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
