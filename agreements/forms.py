"""Forms of the agreements app. They validate; the services in agreements.services act."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from agreements.models import (
    AgreementKind,
    AgreementVersion,
    BrightLine,
    CommenterRole,
    Goal,
    MeetingKind,
    SectionType,
    VersionStatus,
)
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
        fields = ["code", "statement", "measure", "target", "figure", "is_active"]
        labels = {"figure": "Figure in the annual report"}
        help_texts = {
            "figure": "The program figure that measures this goal: the annual report shows it this year "
            "against the year before, and says whether it moved the right way. Leave it empty when the "
            "goal is measured by survey rounds or by no figure.",
        }


class CommentPeriodForm(forms.Form):
    opens_on = forms.DateField(required=False, widget=DATE_INPUT, label="First day")
    closes_on = forms.DateField(required=False, widget=DATE_INPUT, label="Last day")


class CommentForm(forms.Form):
    commenter_role = forms.ChoiceField(choices=CommenterRole.choices, label="From")
    commenter_name = forms.CharField(
        max_length=200, required=False, label="Name", help_text="Leave empty to keep the comment anonymous."
    )
    received_on = forms.DateField(widget=DATE_INPUT, label="Received on")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Comment")


class CommentResponseForm(forms.Form):
    response = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="The district's response")


def _people():
    """Active accounts with a role: who may attend a meeting or own an action item."""
    return (
        get_user_model().objects.filter(is_active=True, groups__name__in=[r.label for r in Role]).distinct()
    )


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(choices=MeetingKind.choices)
    title = forms.CharField(max_length=200)
    held_on = forms.DateField(widget=DATE_INPUT, label="Date")
    version = forms.ModelChoiceField(
        queryset=AgreementVersion.objects.exclude(status=VersionStatus.DRAFT).select_related("agreement"),
        required=False,
        label="Agreement version discussed",
    )
    attendees = forms.ModelMultipleChoiceField(
        queryset=_people(), required=False, widget=forms.CheckboxSelectMultiple
    )
    agenda = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    minutes = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), required=False)


class ActionItemForm(forms.Form):
    description = forms.CharField(max_length=300)
    owner = forms.ModelChoiceField(queryset=_people())
    due_on = forms.DateField(widget=DATE_INPUT, label="Due on")
