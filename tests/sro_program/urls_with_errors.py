"""The project's URLs plus pages that fail on purpose, for the error-page tests."""

from django.contrib.auth.decorators import login_not_required
from django.db import OperationalError
from django.urls import path

from sro_program.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


@login_not_required
def broken(request):
    raise RuntimeError("a bug in a view: SECRET-DETAIL-42")


@login_not_required
def database_down(request):
    raise OperationalError("could not connect to server: SECRET-DETAIL-43")


urlpatterns = [
    path("broken/", broken),
    path("database-down/", database_down),
    *urlpatterns,
]
