from django.urls import path  # noqa: F401

app_name = "reports"

urlpatterns: list = []

# The dashboard (coordinators, and administrators for their schools).
from reports.views.dashboard import dashboard_view  # noqa: E402

urlpatterns += [
    path("", dashboard_view, name="dashboard"),
]
