from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from officers.selectors import officers_for_user


@require_GET
@permission_required("officers.view_officer", raise_exception=True)
def officer_list(request):
    officers = officers_for_user(user=request.user).select_related("agency")
    page = Paginator(officers, 50).get_page(request.GET.get("page"))
    return render(request, "officers/officer_list.html", {"page": page})


urlpatterns = [
    path("", officer_list, name="officer_list"),
]
