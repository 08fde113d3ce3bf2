"""The hotline's staff console under /console/hotline/ (names in the "hotline_console" namespace)."""

from django.urls import path

from digigov.hotline.views import appeal, board, callbacks, hub, intake, knowledge, queue, routing, settings, worklist

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
    path("knowledge/", knowledge.knowledge, name="knowledge"),
    path("knowledge/new/", knowledge.knowledge_new, name="knowledge_new"),
    path("knowledge/<int:entry_id>/edit/", knowledge.knowledge_edit, name="knowledge_edit"),
    path("knowledge/<int:entry_id>/deactivate/", knowledge.knowledge_deactivate, name="knowledge_deactivate"),
    path("settings/", settings.settings_deadlines, name="settings"),
    path("settings/deadlines/<slug:appeal_type>/", settings.settings_deadline_set, name="settings_deadline"),
    path("settings/channels/", settings.settings_channels, name="settings_channels"),
    path("settings/channels/<slug:code>/", settings.settings_channel_set, name="settings_channel"),
    path("settings/routing/", settings.settings_routing, name="settings_routing"),
    path("settings/routing/activate/", settings.settings_routing_activate, name="settings_routing_activate"),
    path("settings/open311/", settings.settings_open311, name="settings_open311"),
    path("settings/open311/new/", settings.settings_open311_create, name="settings_open311_create"),
    path("settings/open311/<int:client_id>/revoke/", settings.settings_open311_revoke, name="settings_open311_revoke"),
]
