from .views import assignments, people, selection, training

app_name = "officers"

urlpatterns = people.urlpatterns + selection.urlpatterns + training.urlpatterns + assignments.urlpatterns
