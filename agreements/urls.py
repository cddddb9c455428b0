from django.urls import path

from agreements.views import acknowledgements, agreements, comments, meetings, pdf, signatures, versions

app_name = "agreements"

urlpatterns = [
    path("", agreements.agreement_list, name="agreement_list"),
    path("new/", agreements.agreement_new, name="agreement_new"),
    path("<int:pk>/", agreements.agreement_detail, name="agreement_detail"),
    path("<int:pk>/settings/", agreements.agreement_settings, name="agreement_settings"),
    path("<int:pk>/draft/", versions.version_draft, name="version_draft"),
    path("<int:pk>/bright-lines/new/", agreements.bright_line_new, name="bright_line_new"),
    path("bright-lines/<int:pk>/", agreements.bright_line_edit, name="bright_line_edit"),
    path("<int:pk>/goals/new/", agreements.goal_new, name="goal_new"),
    path("goals/<int:pk>/", agreements.goal_edit, name="goal_edit"),
    path("public/<int:pk>/", agreements.agreement_public, name="agreement_public"),
    path("public/<int:pk>/pdf/", pdf.agreement_public_pdf, name="agreement_public_pdf"),
    path("versions/<int:pk>/", versions.version_detail, name="version_detail"),
    path("versions/<int:pk>/print/", versions.version_print, name="version_print"),
    path("versions/<int:pk>/pdf/", pdf.version_pdf, name="version_pdf"),
    path("versions/<int:pk>/edit/", versions.version_edit, name="version_edit"),
    path("versions/<int:pk>/sections/new/", versions.section_new, name="section_new"),
    path("versions/<int:pk>/publish/", versions.version_publish, name="version_publish"),
    path("versions/<int:pk>/diff/", versions.version_diff, name="version_diff"),
    path("versions/<int:pk>/history/", versions.version_history, name="version_history"),
    path("versions/<int:pk>/sign/", signatures.version_sign, name="version_sign"),
    path("versions/<int:pk>/acknowledge/", acknowledgements.version_acknowledge, name="version_acknowledge"),
    path(
        "versions/<int:pk>/acknowledgements/",
        acknowledgements.acknowledgement_matrix,
        name="acknowledgement_matrix",
    ),
    path("versions/<int:pk>/comments/", comments.version_comments, name="version_comments"),
    path("versions/<int:pk>/comment-period/", comments.comment_period, name="comment_period"),
    path("versions/<int:pk>/comments/new/", comments.comment_new, name="comment_new"),
    path("comments/<int:pk>/respond/", comments.comment_respond, name="comment_respond"),
    path("meetings/", meetings.meeting_list, name="meeting_list"),
    path("meetings/new/", meetings.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/history/", meetings.meeting_history_page, name="meeting_history"),
    path("meetings/<int:pk>/items/new/", meetings.action_item_new, name="action_item_new"),
    path("items/<int:pk>/close/", meetings.action_item_close, name="action_item_close"),
    path("sections/<int:pk>/edit/", versions.section_edit, name="section_edit"),
    path("sections/<int:pk>/delete/", versions.section_delete, name="section_delete"),
    path("sections/<int:pk>/move/", versions.section_move, name="section_move"),
]
