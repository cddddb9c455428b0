from django.urls import path

from feedback.views import concerns, goals, manage, respond, results

app_name = "feedback"

urlpatterns = [
    path("", results.round_list, name="round_list"),
    path("rounds/<int:pk>/", results.round_results, name="round_results"),
    path("rounds/<int:pk>/export.csv", results.round_export, name="round_export"),
    path("rounds/<int:pk>/actions/new/", results.action_create_view, name="action_create"),
    path("actions/<int:pk>/status/", results.action_status_view, name="action_status"),
    path("goals/", goals.goal_results, name="goal_results"),
    path("goals/<int:pk>/measure/", goals.goal_measure_view, name="goal_measure"),
    path("campaigns/<int:pk>/goal-rounds/new/", goals.goal_round_create, name="goal_round_create"),
    path("surveys/", manage.survey_list, name="survey_list"),
    path("surveys/new/", manage.survey_create_view, name="survey_create"),
    path("surveys/<int:pk>/", manage.survey_detail, name="survey_detail"),
    path("surveys/<int:pk>/copy/", manage.survey_copy_view, name="survey_copy"),
    path("surveys/<int:pk>/questions/<int:question_pk>/", manage.question_edit, name="question_edit"),
    path(
        "surveys/<int:pk>/questions/<int:question_pk>/move/", manage.question_move_view, name="question_move"
    ),
    path(
        "surveys/<int:pk>/questions/<int:question_pk>/delete/",
        manage.question_delete_view,
        name="question_delete",
    ),
    path("campaigns/", manage.campaign_list, name="campaign_list"),
    path("campaigns/new/", manage.campaign_create_view, name="campaign_create"),
    path("campaigns/<int:pk>/", manage.campaign_detail, name="campaign_detail"),
    path("events/new/", manage.event_create, name="event_create"),
    path("events/<int:pk>/", manage.event_detail, name="event_detail"),
    path("register/", concerns.concern_list, name="concern_list"),
    path("register/<int:pk>/", concerns.concern_detail, name="concern_detail"),
    # Public on purpose: reached from emails, a shared link, or the program's public pages.
    path("answer/<str:token>/", respond.answer, name="answer"),
    path("event/<str:token>/", respond.event_answer, name="event_answer"),
    path("thanks/", respond.thanks, name="thanks"),
    path("opt-out/<str:token>/", respond.opt_out, name="opt_out"),
    path("concerns/new/", respond.concern_public, name="concern_public"),
]
