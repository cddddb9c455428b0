from django.urls import path  # noqa: F401

app_name = "reports"

urlpatterns: list = []

# The dashboard (coordinators, and administrators for their schools).
from reports.views.dashboard import dashboard_view  # noqa: E402

urlpatterns += [
    path("", dashboard_view, name="dashboard"),
]

# The annual program report (reports/views/annual.py).
from reports.views import annual as annual_views  # noqa: E402

urlpatterns += [
    path("annual/", annual_views.annual_report_latest, name="annual_report_latest"),
    path("annual/<int:year_id>/", annual_views.annual_report_page, name="annual_report"),
    path("annual/<int:year_id>/narrative/", annual_views.annual_narrative, name="annual_narrative"),
    path("annual/<int:year_id>/pdf/", annual_views.annual_pdf_request, name="annual_pdf_request"),
    path(
        "annual/<int:year_id>/pdf/<int:build_id>/",
        annual_views.annual_pdf_download,
        name="annual_pdf_download",
    ),
    path(
        "annual/<int:year_id>/pdf/<int:build_id>/status/",
        annual_views.annual_pdf_status,
        name="annual_pdf_status",
    ),
    path("annual/<int:year_id>/tables.zip", annual_views.annual_csv, name="annual_csv"),
]
