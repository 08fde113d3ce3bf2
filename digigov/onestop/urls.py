"""一网通办 pages: the citizen portal under /services/, the staff console under /console/services/."""

from django.urls import include, path

app_name = "services"

urlpatterns = [
    path("services/", include("digigov.onestop.urls_portal")),
    path("console/services/", include("digigov.onestop.urls_console")),
]
