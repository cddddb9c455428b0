"""Forms for assignments: the assignment, its weekly schedule (a formset), ending early, leave,
and the coverage day picker."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from district.models import AcademicYear, School
from officers.models import AssignmentRole, Officer, OfficerLeave, Weekday
from officers.services.assignments import ShiftInput

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class AssignmentForm(forms.Form):
    officer = forms.ModelChoiceField(queryset=Officer.objects.none())
    school = forms.ModelChoiceField(queryset=School.objects.filter(active=True))
    academic_year = forms.ModelChoiceField(queryset=AcademicYear.objects.all(), label="Academic year")
    role = forms.ChoiceField(choices=AssignmentRole.choices, initial=AssignmentRole.PRIMARY)
    start_date = forms.DateField(label="Start date", widget=DATE_INPUT)
    end_date = forms.DateField(label="End date", widget=DATE_INPUT)

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers

    def clean(self):
        cleaned = super().clean()
        start, end, year = cleaned.get("start_date"), cleaned.get("end_date"), cleaned.get("academic_year")
        if start and end and end < start:
            self.add_error("end_date", "The assignment must end on or after its start.")
        if year:
            for name in ("start_date", "end_date"):
                day = cleaned.get(name)
                if day and not year.contains(day):
                    self.add_error(
                        name,
                        f"Choose a date within {year} "
                        f"({year.start_date:%b %-d, %Y} to {year.end_date:%b %-d, %Y}).",
                    )
        return cleaned


class ScheduleDayForm(forms.Form):
    """One weekday of the weekly schedule; the weekday is fixed, the officer ticks it and gives times."""

    weekday = forms.TypedChoiceField(choices=Weekday.choices, coerce=int, widget=forms.HiddenInput)
    works = forms.BooleanField(required=False)
    start_time = forms.TimeField(required=False, widget=TIME_INPUT)
    end_time = forms.TimeField(required=False, widget=TIME_INPUT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        weekday = self.initial.get("weekday")
        name = Weekday(int(weekday)).label if weekday is not None else "Day"
        self.day_name = name
        self.fields["works"].label = f"Works on {name}"
        self.fields["start_time"].label = f"{name} start time"
        self.fields["end_time"].label = f"{name} end time"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("works"):
            start, end = cleaned.get("start_time"), cleaned.get("end_time")
            if not start:
                self.add_error("start_time", f"Give a start time for {self.day_name}.")
            if not end:
                self.add_error("end_time", f"Give an end time for {self.day_name}.")
            if start and end and end <= start:
                self.add_error("end_time", f"{self.day_name}'s shift must end after it starts.")
        return cleaned


class BaseScheduleFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        weekdays = [form.cleaned_data.get("weekday") for form in self.forms]
        if len(weekdays) != len(set(weekdays)):
            raise ValidationError("Each weekday can appear only once.")

    def shifts(self) -> list[ShiftInput]:
        return [
            ShiftInput(
                weekday=form.cleaned_data["weekday"],
                start_time=form.cleaned_data["start_time"],
                end_time=form.cleaned_data["end_time"],
            )
            for form in self.forms
            if form.cleaned_data.get("works")
        ]


ScheduleFormSet = forms.formset_factory(
    ScheduleDayForm, formset=BaseScheduleFormSet, extra=0, min_num=7, max_num=7, validate_max=True
)


def schedule_formset(data=None, *, assignment=None) -> BaseScheduleFormSet:
    """Seven rows, Monday to Sunday, filled from the assignment's schedule when editing."""
    current = {day.weekday: day for day in assignment.days.all()} if assignment is not None else {}
    initial = []
    for weekday in Weekday:
        day = current.get(weekday.value)
        initial.append(
            {
                "weekday": weekday.value,
                "works": day is not None,
                "start_time": day.start_time if day else None,
                "end_time": day.end_time if day else None,
            }
        )
    return ScheduleFormSet(data, initial=initial, prefix="days")


class AssignmentEndForm(forms.Form):
    end_date = forms.DateField(label="Last day of the assignment", widget=DATE_INPUT)


class OfficerLeaveForm(forms.ModelForm):
    class Meta:
        model = OfficerLeave
        fields = ["officer", "start_date", "end_date", "reason"]
        widgets = {"start_date": DATE_INPUT, "end_date": DATE_INPUT}
        labels = {"start_date": "First day away", "end_date": "Last day away"}

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The leave must end on or after its start.")
        return cleaned


class CoverageDayForm(forms.Form):
    day = forms.DateField(label="Day", widget=DATE_INPUT)
