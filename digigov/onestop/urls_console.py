"""The 一网通办 staff console under /console/services/ (names live in the "services" namespace)."""

from django.urls import path

from digigov.onestop.views import (
    console,
    console_applications,
    console_calendar,
    console_catalogue,
    console_rectifications,
    console_statistics,
)

urlpatterns = [
    path("", console.hub, name="console_hub"),
    path("worklist/", console.worklist, name="console_worklist"),
    path("applications/<int:application_id>/", console_applications.application_detail, name="console_application"),
    path(
        "applications/<int:application_id>/act/",
        console_applications.application_act,
        name="console_application_act",
    ),
    path(
        "applications/<int:application_id>/materials/<int:material_id>/",
        console_applications.material_download,
        name="console_material",
    ),
    path("rectifications/", console_rectifications.rectification_list, name="console_rectifications"),
    path("rectifications/<int:task_id>/", console_rectifications.rectification_detail, name="console_rectification"),
    path(
        "rectifications/<int:task_id>/answer/",
        console_rectifications.rectification_answer_view,
        name="console_rectification_answer",
    ),
    path(
        "rectifications/<int:task_id>/close/",
        console_rectifications.rectification_close_view,
        name="console_rectification_close",
    ),
    path("statistics/", console_statistics.statistics, name="console_statistics"),
    path("catalogue/", console_catalogue.catalogue, name="console_catalogue"),
    path("catalogue/new/", console_catalogue.catalogue_item_new, name="console_catalogue_item_new"),
    path("catalogue/<int:item_id>/", console_catalogue.catalogue_item_edit, name="console_catalogue_item"),
    path("catalogue/export/", console_catalogue.catalogue_export, name="console_catalogue_export"),
    path("catalogue/import/", console_catalogue.catalogue_import, name="console_catalogue_import"),
    path(
        "catalogue/import/report/",
        console_catalogue.catalogue_import_report,
        name="console_catalogue_import_report",
    ),
    path("calendar/", console_calendar.calendar, name="console_calendar"),
    path("calendar/day/", console_calendar.calendar_day, name="console_calendar_day"),
    path("calendar/publish/", console_calendar.calendar_publish, name="console_calendar_publish"),
]
