"""Forms of the agreements app. They validate; the services in agreements.services act."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from agreements.models import AgreementKind, BrightLine, Goal, SectionType
from district.roles import Role
from officers.models import Agency

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _administrators():
    return get_user_model().objects.filter(is_active=True, groups__name=Role.ADMINISTRATOR.label).distinct()


class AgreementCreateForm(forms.Form):
    kind = forms.ChoiceField(choices=AgreementKind.choices)
    title = forms.CharField(max_length=200)
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.all(), required=False, help_text="For a memorandum of understanding only."
    )
    district_signatory = forms.ModelChoiceField(
        queryset=_administrators(), required=False, help_text="The administrator who signs for the district."
    )
    review_date = forms.DateField(required=False, widget=DATE_INPUT)


class AgreementSettingsForm(forms.Form):
    district_signatory = forms.ModelChoiceField(
        queryset=_administrators(),
        required=False,
        help_text="The administrator who signs for the district (usually the superintendent).",
    )
    review_date = forms.DateField(required=False, widget=DATE_INPUT, help_text="The next annual review.")
    is_public = forms.BooleanField(
        required=False,
        label="Publish the active version at a public address",
        help_text="Families can read it without signing in.",
    )


class VersionForm(forms.Form):
    title = forms.CharField(max_length=200)
    summary = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="What changed in this version"
    )
    public_input = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Public input",
        help_text="How families, students, staff and the community were consulted before adoption.",
    )


class SectionForm(forms.Form):
    heading = forms.CharField(max_length=200)
    section_type = forms.ChoiceField(choices=SectionType.choices, label="Type")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}))


class SignatureForm(forms.Form):
    typed_name = forms.CharField(max_length=200, label="Your full name")
    typed_title = forms.CharField(
        max_length=200, label="Your title", help_text="For example: Superintendent."
    )
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        label="Your password",
        help_text="Signing is deliberate: enter your password again.",
    )
    confirm = forms.BooleanField(
        label="I have read this version and sign it on behalf of the party named above."
    )


class BrightLineForm(forms.ModelForm):
    class Meta:
        model = BrightLine
        fields = ["code", "statement", "explanation", "is_active"]
        widgets = {"explanation": forms.Textarea(attrs={"rows": 3})}


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["code", "statement", "measure", "target", "is_active"]
