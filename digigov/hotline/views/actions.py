"""Which of the loop's steps this user may take on this appeal now: the workflow kernel's available steps, which
ask the same policy the services' moves do. A page offers exactly these, nothing more."""

from __future__ import annotations

from dataclasses import dataclass

from digigov.core.workflow import available_steps
from digigov.hotline.models import Appeal, CallbackTask, ExtensionRequest
from digigov.hotline.selectors import open_callback, pending_extension
from digigov.hotline.workflow import appeal_workflow
from digigov.identity.models import User


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
    """The kernel's answer (the steps of hotline.workflow this user may take now), as the page's buttons."""
    steps = {step.name for step in available_steps(appeal_workflow, user, appeal)}
    pending = pending_extension(appeal)
    callback = None
    if steps & {"closed", "reopened"}:
        callback = open_callback(appeal)
    return AppealActions(
        dispatch="dispatched" in steps,
        merge="merge_master" in steps,
        escalate="escalated" in steps,
        answer_from_knowledge="answered_from_knowledge" in steps,
        sign="signed" in steps,
        return_to_centre="returned" in steps,
        reply="replied" in steps,
        request_extension="extension_requested" in steps,
        callback=callback,
        extension=pending if "extension_approved" in steps and pending is not None else None,
    )
