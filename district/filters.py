import django_filters
from django import forms

from .models import AccessAction, AccessLog, Grade, School, Student


class StudentFilter(django_filters.FilterSet):
    """Find a student by name or district id, school, grade and status."""

    q = django_filters.CharFilter(method="filter_q", label="Name or student id")
    school = django_filters.ModelChoiceFilter(queryset=School.objects.none(), empty_label="All schools")
    grade = django_filters.ChoiceFilter(choices=Grade.choices, empty_label="All grades")
    active = django_filters.BooleanFilter(
        widget=forms.Select(choices=[("", "Active and inactive"), ("true", "Active"), ("false", "Inactive")]),
        label="Status",
    )

    class Meta:
        model = Student
        fields = ["q", "school", "grade", "active"]

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        if schools is not None:
            self.filters["school"].queryset = schools

    def filter_q(self, queryset, name, value):
        from django.db.models import Q

        for word in value.split():
            queryset = queryset.filter(
                Q(given_name__icontains=word)
                | Q(family_name__icontains=word)
                | Q(student_number__iexact=word)
            )
        return queryset


class AccessLogFilter(django_filters.FilterSet):
    """Narrow a student's access log to one kind of access."""

    action = django_filters.ChoiceFilter(choices=AccessAction.choices, empty_label="Every kind of access")

    class Meta:
        model = AccessLog
        fields = ["action"]
