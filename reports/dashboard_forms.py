"""The dashboard's filter: a school of the viewer's scope and a period of local days."""

from __future__ import annotations

import datetime

from django import forms

EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2100, 12, 31)


class DashboardFilterForm(forms.Form):
    # A number, not a choice: a school outside the viewer's scope is a 404 (as for any record the
    # user may not see), decided by ``reports.access.school_get_for_user``, not a form error.
    school = forms.IntegerField(label="School", required=False, min_value=1)
    start = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, schools=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].widget = forms.Select(
            choices=[("", "Every school you see")] + [(school.pk, school.name) for school in schools]
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        for name, day in (("start", start), ("end", end)):
            if day is not None and not EARLIEST <= day <= LATEST:
                self.add_error(name, "Choose a date between 2000 and 2100.")
        if start and end and end < start:
            self.add_error("end", "The end of the period cannot be before its start.")
        return data
