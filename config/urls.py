from django.urls import URLPattern, URLResolver, include, path

from config.api import api
from config.views import healthz
from digigov.identity.policies import Access


def _api_patterns() -> list[URLPattern | URLResolver]:
    """The API's views: ninja checks auth per operation, so the page middleware defers to it."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback.access_policy = Access.API  # type: ignore[attr-defined]
    return [path("api/v1/", include((patterns, app_name), namespace=namespace))]


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    *_api_patterns(),
    path("open311/v2/", include("digigov.hotline.urls_open311")),
    path("", include("digigov.onestop.urls")),
    path("console/hotline/", include("digigov.hotline.urls_console")),
    path("", include("digigov.identity.urls")),
]

handler403 = "config.views.forbidden"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
