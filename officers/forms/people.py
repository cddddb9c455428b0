"""Forms for agencies and officers. They validate; the services in officers.services.people act."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from officers.models import Agency, Officer, OfficerStatus
from officers.services.people import DUPLICATE_BADGE


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "address", "phone", "contact_name", "contact_email", "contact_phone"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}


class OfficerForm(forms.ModelForm):
    """The whole officer record; ``agencies`` limits which agencies may be chosen."""

    class Meta:
        model = Officer
        fields = [
            "agency",
            "badge_number",
            "rank",
            "given_name",
            "family_name",
            "phone",
            "email",
            "program_start_date",
            "status",
        ]
        widgets = {"program_start_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["agency"].queryset = agencies
        self.fields["program_start_date"].help_text = "The first day in the program."

    def clean_badge_number(self) -> str:
        return self.cleaned_data["badge_number"].strip()

    def _post_clean(self):
        super()._post_clean()
        # Django's message for the unique constraint names the constraint; say it plainly instead.
        errors = self.errors.get("__all__")
        if errors and any("badge" in str(error).lower() for error in errors):
            del self.errors["__all__"]
            self.add_error("badge_number", DUPLICATE_BADGE)


class OfficerContactForm(forms.ModelForm):
    """What an SRO may correct on their own record: phone and email."""

    class Meta:
        model = Officer
        fields = ["phone", "email"]


class OfficerFilter(django_filters.FilterSet):
    """Find officers by name or badge, agency and status."""

    q = django_filters.CharFilter(method="filter_q", label="Name or badge")
    agency = django_filters.ModelChoiceFilter(queryset=Agency.objects.none(), empty_label="All agencies")
    status = django_filters.ChoiceFilter(choices=OfficerStatus.choices, empty_label="Any status")

    class Meta:
        model = Officer
        fields = ["q", "agency", "status"]

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.filters["agency"].queryset = agencies

    def filter_q(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(given_name__icontains=word) | Q(family_name__icontains=word) | Q(badge_number__iexact=word)
            )
        return queryset
