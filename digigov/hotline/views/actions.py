"""Which of the loop's steps this user may take on this appeal now, from the checks hotline.services.loop makes
(digigov.hotline.permissions). A page offers exactly these, nothing more."""

from __future__ import annotations

from dataclasses import dataclass

from digigov.hotline.models import (
    Appeal,
    AppealStatus,
    AppealType,
    CallbackTask,
    ExtensionRequest,
)
from digigov.hotline.permissions import is_centre, is_handler
from digigov.hotline.selectors import open_callback, pending_extension
from digigov.identity.models import User
from digigov.identity.permissions import Perm

MERGEABLE = (AppealStatus.RECEIVED, AppealStatus.DISPATCHED, AppealStatus.SIGNED)


@dataclass(frozen=True)
class AppealActions:
    dispatch: bool = False
    merge: bool = False
    escalate: bool = False
    answer_from_knowledge: bool = False
    sign: bool = False
    return_to_centre: bool = False
    reply: bool = False
    request_extension: bool = False
    callback: CallbackTask | None = None
    extension: ExtensionRequest | None = None  # a pending request this user may decide

    @property
    def any(self) -> bool:
        return any(
            (
                self.dispatch,
                self.escalate,
                self.answer_from_knowledge,
                self.sign,
                self.return_to_centre,
                self.reply,
                self.request_extension,
                self.callback,
                self.extension,
            )
        )


def appeal_actions(user: User, appeal: Appeal) -> AppealActions:
    status = appeal.status
    dispatcher = is_centre(user, Perm.HOTLINE_DISPATCH, appeal)
    handler = is_handler(user, appeal)
    pending = pending_extension(appeal)
    callback = None
    if status in (AppealStatus.REPLIED, AppealStatus.MERGED) and is_centre(user, Perm.HOTLINE_CALLBACK, appeal):
        callback = open_callback(appeal)
    return AppealActions(
        dispatch=dispatcher and status == AppealStatus.RECEIVED,
        merge=dispatcher and status in MERGEABLE,
        escalate=dispatcher and status in (AppealStatus.DISPATCHED, AppealStatus.SIGNED),
        answer_from_knowledge=(
            status == AppealStatus.RECEIVED
            and appeal.appeal_type == AppealType.CONSULTATION
            and is_centre(user, Perm.HOTLINE_INTAKE, appeal)
        ),
        sign=handler and status == AppealStatus.DISPATCHED,
        return_to_centre=handler and status in (AppealStatus.DISPATCHED, AppealStatus.SIGNED),
        reply=handler and status == AppealStatus.SIGNED,
        request_extension=handler and status == AppealStatus.SIGNED and pending is None,
        callback=callback,
        extension=pending if dispatcher and pending is not None else None,
    )
