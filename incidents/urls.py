from django.urls import path

from incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.interaction_list_view, name="interaction_list"),
    path("log/", views.interaction_create_view, name="interaction_create"),
    path("retention/", views.retention_view, name="retention"),
    path("export/", views.interaction_export_view, name="interaction_export"),
    path("students/search/", views.student_search_view, name="student_search"),
    path("students/<int:pk>/disclosures/", views.student_disclosures_view, name="student_disclosures"),
    path("<int:pk>/", views.interaction_detail_view, name="interaction_detail"),
    path("<int:pk>/edit/", views.interaction_edit_view, name="interaction_edit"),
    path("<int:pk>/addendum/", views.addendum_add_view, name="addendum_add"),
    path("<int:pk>/disclose/", views.interaction_disclose_view, name="interaction_disclose"),
]
