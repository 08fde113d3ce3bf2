"""Which of the loop's steps this user may take on this appeal now, from the checks hotline.services.loop makes
(digigov.hotline.policy). A page offers exactly these, nothing more."""

from __future__ import annotations

from dataclasses import dataclass

from digigov.hotline.models import (
    Appeal,
    AppealStatus,
    AppealType,
    CallbackTask,
    ExtensionRequest,
    ExtensionStatus,
)
from digigov.hotline.policy import Action, can
from digigov.identity.models import User

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
    dispatcher = can(user, Action.DISPATCH, appeal)
    handler = can(user, Action.SIGN, appeal)
    pending = appeal.extensions.filter(status=ExtensionStatus.PENDING).first()
    callback = None
    if status in (AppealStatus.REPLIED, AppealStatus.MERGED) and can(user, Action.CALLBACK, appeal):
        callback = appeal.callbacks.filter(done_at__isnull=True).order_by("round").first()
    return AppealActions(
        dispatch=dispatcher and status == AppealStatus.RECEIVED,
        merge=dispatcher and status in MERGEABLE,
        escalate=dispatcher and status in (AppealStatus.DISPATCHED, AppealStatus.SIGNED),
        answer_from_knowledge=(
            status == AppealStatus.RECEIVED
            and appeal.appeal_type == AppealType.CONSULTATION
            and can(user, Action.CLOSE_AT_INTAKE, appeal)
        ),
        sign=handler and status == AppealStatus.DISPATCHED,
        return_to_centre=handler and status in (AppealStatus.DISPATCHED, AppealStatus.SIGNED),
        reply=handler and status == AppealStatus.SIGNED,
        request_extension=handler and status == AppealStatus.SIGNED and pending is None,
        callback=callback,
        extension=pending if dispatcher and pending is not None else None,
    )
