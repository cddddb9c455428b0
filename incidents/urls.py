from django.urls import path

from incidents.views import cases
from incidents.views import incident_reports as reports
from incidents.views import interactions as views

app_name = "incidents"

urlpatterns = [
    path("", views.interaction_list_view, name="interaction_list"),
    path("log/", views.interaction_create_view, name="interaction_create"),
    path("categories/", views.category_list_view, name="category_list"),
    path("categories/new/", views.category_edit_view, name="category_create"),
    path("categories/<int:pk>/", views.category_edit_view, name="category_edit"),
    path("retention/", views.retention_view, name="retention"),
    path("export/", views.interaction_export_view, name="interaction_export"),
    path("students/search/", views.student_search_view, name="student_search"),
    path("students/<int:pk>/disclosures/", views.student_disclosures_view, name="student_disclosures"),
    path("<int:pk>/", views.interaction_detail_view, name="interaction_detail"),
    path("<int:pk>/edit/", views.interaction_edit_view, name="interaction_edit"),
    path("<int:pk>/addendum/", views.addendum_add_view, name="addendum_add"),
    path("<int:pk>/disclose/", views.interaction_disclose_view, name="interaction_disclose"),
    path("cases/", cases.case_list_view, name="case_list"),
    path("cases/new/", cases.case_create_view, name="case_create"),
    path("cases/follow-ups/overdue/", cases.follow_ups_overdue_view, name="follow_ups_overdue"),
    path("cases/<int:pk>/", cases.case_detail_view, name="case_detail"),
    path("cases/<int:pk>/note/", cases.case_note_view, name="case_note"),
    path("cases/<int:pk>/follow-up/", cases.follow_up_add_view, name="follow_up_add"),
    path("cases/<int:pk>/follow-up/<int:follow_up>/done/", cases.follow_up_done_view, name="follow_up_done"),
    path("cases/<int:pk>/referral/", cases.referral_add_view, name="referral_add"),
    path(
        "cases/<int:pk>/referral/<int:referral>/status/", cases.referral_status_view, name="referral_status"
    ),
    path("cases/<int:pk>/status/", cases.case_status_view, name="case_status"),
    path("<int:pk>/case/", cases.case_from_interaction_view, name="case_from_interaction"),
    path("reports/", reports.incident_list_view, name="incident_list"),
    path("reports/new/", reports.incident_create_view, name="incident_create"),
    path("reports/types/", reports.incident_type_list_view, name="incident_type_list"),
    path("reports/types/new/", reports.incident_type_edit_view, name="incident_type_create"),
    path("reports/types/<int:pk>/", reports.incident_type_edit_view, name="incident_type_edit"),
    path("reports/<int:pk>/", reports.incident_detail_view, name="incident_detail"),
    path("reports/<int:pk>/edit/", reports.incident_edit_view, name="incident_edit"),
    path("reports/<int:pk>/people/", reports.incident_person_view, name="incident_person"),
    path("reports/<int:pk>/notified/", reports.incident_notification_view, name="incident_notification"),
    path("reports/<int:pk>/status/", reports.incident_status_view, name="incident_status"),
    path("<int:pk>/promote/", reports.incident_promote_view, name="incident_promote"),
]
