"""The hotline's staff console under /console/hotline/ (names in the "hotline_console" namespace)."""

from django.urls import path

from digigov.hotline.views import appeal, board, callbacks, hub, intake, queue, routing, worklist

app_name = "hotline_console"

urlpatterns = [
    path("", hub.hub, name="hub"),
    path("intake/", intake.intake, name="intake"),
    path("intake/suggest/", intake.intake_suggest, name="intake_suggest"),
    path("queue/", queue.queue, name="queue"),
    path("queue/extensions/", queue.extensions, name="extensions"),
    path("queue/extensions/<int:request_id>/decide/", queue.extension_decide, name="extension_decide"),
    path("queue/overdue/", queue.overdue, name="overdue"),
    path("routing-fields/", routing.routing_fields, name="routing_fields"),
    path("worklist/", worklist.worklist, name="worklist"),
    path("appeals/<int:appeal_id>/", appeal.appeal_detail, name="appeal"),
    path("appeals/<int:appeal_id>/merge/", appeal.appeal_merge, name="appeal_merge"),
    path(
        "appeals/<int:appeal_id>/attachments/<int:attachment_id>/",
        appeal.attachment_download,
        name="attachment_download",
    ),
    path("appeals/<int:appeal_id>/<slug:action>/", appeal.appeal_act, name="appeal_act"),
    path("callbacks/", callbacks.callback_list, name="callbacks"),
    path("callbacks/<int:task_id>/", callbacks.callback_record, name="callback_record"),
    path("callbacks/<int:task_id>/reveal/", callbacks.callback_reveal, name="callback_reveal"),
    path("hot/", board.hot_board, name="hot"),
]
