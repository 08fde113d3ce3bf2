"""Browser test of the staff inbox: the 卫健委 head signs in, lands on the console home with the inbox first
(red before yellow before green), opens /console/inbox/, filters the red cards, follows a row to the
application, and the 综合窗口 clerk finds 受理 in theirs. Screenshots at 1280 and 375 px in e2e/screenshots/."""

from __future__ import annotations

from typing import Any

from digigov.core.tests.deadlines import set_card
from digigov.core.workflow import Card
from digigov.identity.demo_loader import DEMO_PASSWORD
from digigov.identity.models import User
from digigov.onestop.models import Application, ServiceItem
from digigov.onestop.services import applications as svc
from digigov.onestop.services.inbox import application_inbox_sync
from digigov.onestop.tests.factories import draft_with_materials

DOCTOR = "210500-WJW-XK-0003"  # 医师执业注册, 卫健委


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _submitted() -> Application:
    citizen = _user("chenhaoran")
    app = draft_with_materials(citizen, ServiceItem.objects.get(code=DOCTOR))
    return svc.application_submit(actor=citizen, application=app)  # the workflow hook opens its 受理 task


def _accepted(card: str) -> Application:
    """Accepted (the hook opens the 审批 task), then its clock put where `card` shows and the task re-synced."""
    app = _submitted()
    svc.application_accept(actor=_user("fengxue"), application=app)
    set_card(app, card)
    app.refresh_from_db()
    application_inbox_sync(app=app, actor=_user("fengxue"), how="accept")
    return app


def test_inbox_orders_by_urgency_and_links_to_the_object(ui: Any) -> None:
    green, red, yellow = _accepted(Card.GREEN), _accepted(Card.RED), _accepted(Card.YELLOW)
    waiting = _submitted()
    ui.login("helijuan", DEMO_PASSWORD)
    ui.goto("/console/")
    rows = ui.page.locator("[data-testid=console-inbox] tbody tr[data-card]")
    cards = rows.evaluate_all("rows => rows.map(r => [r.dataset.testid, r.dataset.card])")
    urgency = {"red": 0, "yellow": 1, "green": 2, "none": 2}
    assert [urgency[card] for _, card in cards] == sorted(urgency[card] for _, card in cards)  # red, yellow, rest
    order = [testid for testid, _ in cards]
    ours = [f"task-{_task_pk(app)}" for app in (red, yellow)]
    assert all(testid in order for testid in ours) and order.index(ours[0]) < order.index(ours[1])
    assert dict(cards)[ours[0]] == "red" and dict(cards)[ours[1]] == "yellow"
    assert "已超期" in ui.text("[data-testid=console-inbox]")
    assert int(ui.text("[data-testid=header-inbox] .badge")) >= 3
    ui.shot("inbox-console-home")

    ui.goto("/console/inbox/")
    assert ui.page.locator("[data-testid=tab-todo]").get_attribute("aria-current") == "page"
    ui.shot("inbox-todo")
    ui.goto("/console/inbox/?card=red&kind=services.application_decide")
    red_rows = ui.page.locator("[data-testid=inbox-todo] tbody tr[data-card]")
    assert red_rows.evaluate_all("rows => rows.map(r => r.dataset.card)") == ["red"]
    with ui.page.expect_navigation():
        red_rows.first.locator("a").first.click()
    ui.check_page()
    assert ui.path == f"/console/services/applications/{red.pk}/"
    ui.goto("/console/inbox/?box=done")
    ui.shot("inbox-done")
    ui.logout()

    ui.login("fengxue", DEMO_PASSWORD)
    ui.goto("/console/inbox/")
    assert ui.page.locator(f"[data-testid=task-{_task_pk(waiting)}]").count() == 1
    assert "受理" in ui.text(f"[data-testid=task-{_task_pk(waiting)}]")
    ui.goto("/console/inbox/?box=done")
    assert ui.page.locator("[data-testid=inbox-done] tbody tr[data-card]").count() >= 3  # the three accepted
    assert green.pk in {int(t.object_id) for t in _open_decide()}


def _task_pk(app: Application) -> int:
    from digigov.core.models import InboxTask

    return InboxTask.objects.get(object_type="services.application", object_id=str(app.pk), closed_at=None).pk


def _open_decide() -> list[Any]:
    from digigov.core.models import InboxTask

    return list(InboxTask.objects.filter(kind="services.application_decide", closed_at=None))
