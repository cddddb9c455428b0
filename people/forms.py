"""Forms for the People section. They validate; the services in people.services act."""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.db.models import Q

from district.models import School, User
from district.roles import Role
from officers.models import Agency, Officer

ACTIVE_CHOICES = [("yes", "Active"), ("no", "Deactivated")]


class _AccessFields(forms.Form):
    """Roles and the scope each role needs; the service drops scope that no chosen role uses."""

    roles = forms.MultipleChoiceField(
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one role."},
    )
    schools = forms.ModelMultipleChoiceField(
        queryset=School.objects.filter(active=True).order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="For an administrator: the buildings they are responsible for.",
    )
    district_wide = forms.BooleanField(
        required=False,
        label="District-wide",
        help_text="For an administrator who sees every school (a superintendent).",
    )


class InvitationForm(_AccessFields):
    email = forms.EmailField(
        max_length=150, help_text="The invitation goes here; it is also how they sign in."
    )
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.order_by("name"),
        required=False,
        empty_label="None",
        help_text="For an agency supervisor: the agency whose officers they see.",
    )
    officer = forms.ModelChoiceField(
        queryset=Officer.objects.filter(user__isnull=True).select_related("agency"),
        required=False,
        empty_label="None",
        label="Officer record",
        help_text="For an SRO: their record in the program (only officers without an account).",
    )
    field_order = [
        "email",
        "first_name",
        "last_name",
        "roles",
        "schools",
        "district_wide",
        "agency",
        "officer",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class AccessForm(_AccessFields):
    """A person's roles and scope; ``person`` is the account being changed."""

    agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="For an agency supervisor: the agencies whose officers they see.",
    )
    officer = forms.ModelChoiceField(
        queryset=Officer.objects.none(),
        required=False,
        empty_label="None",
        label="Officer record",
        help_text="For an SRO: their record in the program.",
    )

    def __init__(self, *args, person: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = Officer.objects.filter(
            Q(user__isnull=True) | Q(user=person)
        ).select_related("agency")

    def add_error(self, field, error):
        # The services name the agency scope "agency" (an invitation names one); here it is plural.
        super().add_error("agencies" if field == "agency" else field, error)

    @staticmethod
    def initial_for(person: User) -> dict:
        officer = Officer.objects.filter(user=person).first()
        return {
            "roles": [role.value for role in person.roles],
            "schools": list(person.schools.all()),
            "district_wide": person.district_wide,
            "agencies": list(person.supervised_agencies.all()),
            "officer": officer,
        }


class InvitationAcceptForm(SetPasswordForm):
    """Choose a password; Django's validators judge it against the invited person's details."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Password"
        self.fields["new_password2"].label = "Password again"


class UserFilter(django_filters.FilterSet):
    """Find people by name or email, role, and whether they may sign in."""

    q = django_filters.CharFilter(method="filter_q", label="Name or email")
    role = django_filters.ChoiceFilter(
        choices=Role.choices, method="filter_role", empty_label="Any role", label="Role"
    )
    active = django_filters.ChoiceFilter(
        choices=ACTIVE_CHOICES, method="filter_active", empty_label="Active or not", label="Status"
    )

    class Meta:
        model = User
        fields = ["q", "role", "active"]

    def filter_q(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(username__icontains=word)
            )
        return queryset

    def filter_role(self, queryset, name, value):
        return queryset.filter(groups__name=Role(value).label)

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "yes")
