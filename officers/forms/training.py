"""Forms for training: courses, the yearly minimum, records with certificates, sessions."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from district.models import Staff, User
from district.roles import Role
from officers.models import (
    CourseCategory,
    Officer,
    TrainingCourse,
    TrainingRecord,
    TrainingSession,
    TrainingTopic,
)
from officers.services.training import CERTIFICATE_MAX_BYTES, certificate_check

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class TrainingCourseForm(forms.ModelForm):
    topics = forms.MultipleChoiceField(
        choices=TrainingTopic.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    required_for = forms.MultipleChoiceField(
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Courses required for SROs appear as columns of the compliance matrix.",
    )

    class Meta:
        model = TrainingCourse
        fields = [
            "title",
            "provider",
            "category",
            "hours",
            "topics",
            "renewal_months",
            "required_for",
            "active",
        ]
        widgets = {"category": forms.Select(choices=CourseCategory.choices)}


class TrainingPolicyForm(forms.Form):
    minimum_hours = forms.DecimalField(
        min_value=0, max_digits=5, decimal_places=1, label="Minimum training hours per officer this year"
    )


class TrainingRecordForm(forms.Form):
    officer = forms.ModelChoiceField(queryset=Officer.objects.none())
    course = forms.ModelChoiceField(queryset=TrainingCourse.objects.filter(active=True))
    completed_on = forms.DateField(label="Completed on", widget=DATE_INPUT)
    hours = forms.DecimalField(
        min_value=0,
        max_digits=5,
        decimal_places=1,
        required=False,
        help_text="Leave empty for the course's hours.",
    )
    certificate = forms.FileField(
        required=False,
        help_text=f"PDF, PNG or JPEG, at most {CERTIFICATE_MAX_BYTES // (1024 * 1024)} MB.",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"}
        ),
    )

    def __init__(self, *args, officers, record: TrainingRecord | None = None, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["officer"].queryset = officers
        if record is not None:
            # Editing keeps the officer; the course list includes the record's course even if retired.
            del self.fields["officer"]
            self.fields["course"].queryset = TrainingCourse.objects.filter(
                active=True
            ) | TrainingCourse.objects.filter(pk=record.course_id)
        elif officers.count() == 1:
            self.fields["officer"].initial = officers.first()

    def clean_certificate(self):
        upload = self.cleaned_data.get("certificate")
        if upload:
            certificate_check(upload)
        return upload

    def clean_completed_on(self):
        completed_on = self.cleaned_data["completed_on"]
        if self.today and completed_on > self.today:
            raise ValidationError("The completion date cannot be in the future.")
        return completed_on


class TrainingSessionForm(forms.ModelForm):
    class Meta:
        model = TrainingSession
        fields = ["course", "date", "start_time", "end_time", "location", "capacity", "notes"]
        widgets = {"date": DATE_INPUT, "start_time": TIME_INPUT, "end_time": TIME_INPUT}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "The session must end after it starts.")
        return cleaned


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        if isinstance(obj, Officer):
            return f"{obj} ({obj.agency})"
        if isinstance(obj, Staff):
            return f"{obj} ({obj.get_role_display()})"
        return obj.get_full_name() or obj.username


class SessionInviteForm(forms.Form):
    officers = PersonChoiceField(
        queryset=Officer.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    users = PersonChoiceField(
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="District administrators",
    )
    staff = PersonChoiceField(
        queryset=Staff.objects.none(),
        required=False,
        label="Staff",
        help_text="Hold Ctrl or Cmd to pick several.",
    )

    def __init__(self, *args, session: TrainingSession, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        invited = session.participants.all()
        self.fields["officers"].queryset = (
            Officer.objects.filter(status__in=["active", "on_leave"])
            .exclude(pk__in=invited.exclude(officer=None).values("officer_id"))
            .select_related("agency")
        )
        self.fields["users"].queryset = (
            User.objects.filter(
                groups__name__in=[Role.ADMINISTRATOR.label, Role.COORDINATOR.label], is_active=True
            )
            .exclude(pk__in=invited.exclude(user=None).values("user_id"))
            .distinct()
        )
        self.fields["staff"].queryset = Staff.objects.filter(active=True).exclude(
            pk__in=invited.exclude(staff=None).values("staff_id")
        )

    def clean(self):
        cleaned = super().clean()
        chosen = sum(len(cleaned.get(name) or []) for name in ("officers", "users", "staff"))
        if not chosen:
            raise ValidationError("Choose at least one person to invite.")
        already = self.session.participants.count()
        if already + chosen > self.session.capacity:
            raise ValidationError(
                f"The session holds {self.session.capacity} people and {already} are already invited: "
                f"you can invite at most {max(self.session.capacity - already, 0)} more (you chose {chosen})."
            )
        return cleaned


class AttendanceForm(forms.Form):
    attended = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Who attended"
    )

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [(str(p.pk), _participant_label(p)) for p in participants]
        if not self.is_bound:
            self.fields["attended"].initial = [str(p.pk) for p in participants if p.attended]

    def attended_ids(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data["attended"]]


def _participant_label(participant) -> str:
    if participant.officer_id:
        return f"{participant.officer} (officer)"
    if participant.user_id:
        return f"{participant.user} (administrator)"
    return f"{participant.staff} (staff)"
