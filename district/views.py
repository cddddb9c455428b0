"""Roster pages: students, and the OneRoster import."""

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .filters import StudentFilter
from .selectors import schools_for_administration, student_get_for_user, students_for_user
from .services import access_log_record

PAGE_SIZE = 50


@require_GET
@permission_required("district.view_student", raise_exception=True)
def student_list(request):
    """The roster, narrowed to the schools the user serves."""
    students = students_for_user(user=request.user).select_related("school")
    student_filter = StudentFilter(
        request.GET, queryset=students, schools=schools_for_administration(user=request.user)
    )
    page = Paginator(student_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "district/student_list.html", {"filter": student_filter, "page": page})


@require_GET
@permission_required("district.view_student", raise_exception=True)
def student_detail(request, pk: int):
    student = student_get_for_user(user=request.user, pk=pk)
    access_log_record(user=request.user, record=student, student=student, path=request.path)
    guardians = student.guardians.filter(active=True)
    return render(request, "district/student_detail.html", {"student": student, "guardians": guardians})
