from django.urls import path

from . import views

app_name = "officers"

urlpatterns = [
    path("", views.officer_list, name="officer_list"),
]
