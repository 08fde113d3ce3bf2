"""The citizen portal of 一网通办 under /services/: the public catalogue and the citizen's own applications."""

from django.urls import path

from digigov.onestop.views import portal, portal_apply

urlpatterns = [
    path("", portal.search, name="portal_search"),
    path("items/<str:code>/", portal.item_guide, name="portal_item"),
    path("items/<str:code>/apply/", portal_apply.apply, name="portal_apply"),
    path("applications/<int:pk>/edit/", portal_apply.draft_edit, name="portal_draft_edit"),
    path("my/", portal.my_applications, name="portal_my"),
    path("my/<int:pk>/", portal.application_detail, name="portal_detail"),
    path("my/<int:pk>/withdraw/", portal.application_withdraw_confirm, name="portal_withdraw"),
    path("my/<int:pk>/correct/", portal_apply.correct, name="portal_correct"),
    path("my/<int:pk>/rate/", portal.application_rate_submit, name="portal_rate"),
    path("bundles/<slug:code>/apply/", portal_apply.bundle_apply, name="portal_bundle_apply"),
    path("my/bundles/<int:pk>/", portal.bundle_application_detail, name="portal_bundle_detail"),
]
