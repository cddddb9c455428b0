"""Forms for selection by fit (crispy, Bootstrap 5). They validate; officers.services.selection acts."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import escape

from district.models import AcademicYear, School
from district.roles import Role
from officers.models import (
    Agency,
    Candidate,
    CandidateStatus,
    FitCriterion,
    PanelAffiliation,
    Scorecard,
    SelectionCycle,
)
from officers.services.selection import RESUME_MAX_BYTES, SCORE_MAX, SCORE_MIN, resume_check


class CycleOpenForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="For example: SRO for the high school, fall opening.")
    agency = forms.ModelChoiceField(queryset=Agency.objects.all())
    academic_year = forms.ModelChoiceField(queryset=AcademicYear.objects.all())
    schools = forms.ModelMultipleChoiceField(
        queryset=School.objects.filter(active=True), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = AcademicYear.objects.filter(is_current=True).first()
        if current and not self.is_bound:
            self.initial.setdefault("academic_year", current.pk)


class CriterionForm(forms.ModelForm):
    class Meta:
        model = FitCriterion
        fields = ["name", "description"]

    def validate_unique(self):
        # The service checks the name within the cycle; the form has no cycle to check against.
        pass


class CandidateForm(forms.ModelForm):
    """A nomination; the résumé is a PDF of at most 5 MB, checked by its content."""

    resume = forms.FileField(
        required=False,
        label="Résumé (PDF, up to 5 MB)",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    class Meta:
        model = Candidate
        fields = [
            "given_name",
            "family_name",
            "badge_number",
            "rank",
            "email",
            "phone",
            "years_of_service",
            "youth_experience",
            "resume",
        ]
        widgets = {"youth_experience": forms.Textarea(attrs={"rows": 4})}
        labels = {"youth_experience": "Experience with young people"}

    def clean_resume(self):
        resume = self.cleaned_data.get("resume")
        if resume:
            if resume.size > RESUME_MAX_BYTES:
                raise ValidationError("The résumé must be 5 MB or smaller.")
            resume_check(resume)
        return resume

    def validate_unique(self):
        # No cycle on the form's instance; the service refuses a badge already nominated.
        pass


class PanelForm(forms.Form):
    """District members (coordinators, administrators) and agency members (the agency's supervisors)."""

    district_members = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="District members",
    )
    agency_members = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Agency members",
    )

    def __init__(self, *args, cycle: SelectionCycle, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(is_active=True)
        district_groups = [Role.COORDINATOR.label, Role.ADMINISTRATOR.label]
        self.fields["district_members"].queryset = users.filter(groups__name__in=district_groups).distinct()
        self.fields["agency_members"].queryset = users.filter(supervised_agencies=cycle.agency).distinct()
        if not self.is_bound:
            seats = list(cycle.panelists.all())
            district, agency = PanelAffiliation.DISTRICT, PanelAffiliation.AGENCY
            self.initial["district_members"] = [p.user_id for p in seats if p.affiliation == district]
            self.initial["agency_members"] = [p.user_id for p in seats if p.affiliation == agency]

    def clean(self):
        cleaned = super().clean()
        district = set(cleaned.get("district_members") or [])
        agency = set(cleaned.get("agency_members") or [])
        if not district and not agency:
            raise ValidationError("Choose at least one panelist.")
        if district & agency:
            raise ValidationError("Each person sits on the panel once: choose district or agency, not both.")
        return cleaned

    def members(self) -> dict:
        members = dict.fromkeys(self.cleaned_data["district_members"], PanelAffiliation.DISTRICT)
        members.update(dict.fromkeys(self.cleaned_data["agency_members"], PanelAffiliation.AGENCY))
        return members


class ScorecardForm(forms.Form):
    """A score from 1 to 5 and a note per criterion. Saving a draft may leave scores empty;
    submitting needs them all."""

    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Overall note")

    def __init__(self, *args, criteria: list[FitCriterion], scorecard: Scorecard | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        existing = {score.criterion_id: score for score in scorecard.scores.all()} if scorecard else {}
        for criterion in criteria:
            score = existing.get(criterion.pk)
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=f"{criterion.name}: score",
                min_value=SCORE_MIN,
                max_value=SCORE_MAX,
                required=False,
                # Crispy renders help text unescaped (it may hold markup); a description is plain text.
                help_text=escape(criterion.description) if criterion.description else None,
                initial=score.value if score else None,
                widget=forms.NumberInput(attrs={"min": SCORE_MIN, "max": SCORE_MAX, "step": 1}),
                error_messages={
                    "min_value": f"Give a score from {SCORE_MIN} to {SCORE_MAX}.",
                    "max_value": f"Give a score from {SCORE_MIN} to {SCORE_MAX}.",
                },
            )
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                label=f"{criterion.name}: note",
                max_length=500,
                required=False,
                initial=score.note if score else "",
            )
        if scorecard is not None and not self.is_bound:
            self.initial["note"] = scorecard.note
        # The overall note comes last.
        self.order_fields([name for name in self.fields if name != "note"] + ["note"])

    def score_fields(self):
        """(criterion, score field, note field) for the template."""
        return [(c, self[f"score_{c.pk}"], self[f"note_{c.pk}"]) for c in self.criteria]

    def require_all(self) -> bool:
        """On submit every criterion needs a score; mark each missing one on its field."""
        complete = True
        for criterion in self.criteria:
            if self.cleaned_data.get(f"score_{criterion.pk}") is None:
                self.add_error(f"score_{criterion.pk}", "Score this criterion before submitting.")
                complete = False
        return complete

    def entries(self) -> dict[int, tuple[int | None, str]]:
        return {
            c.pk: (self.cleaned_data.get(f"score_{c.pk}"), self.cleaned_data.get(f"note_{c.pk}") or "")
            for c in self.criteria
        }


class DecisionForm(forms.Form):
    chosen = forms.ModelChoiceField(
        queryset=Candidate.objects.none(),
        widget=forms.RadioSelect,
        label="Chosen candidate",
        empty_label=None,
    )
    program_start_date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), label="First day in the program"
    )
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Why this candidate fits: the panel's scores and anything else that weighed.",
    )

    def __init__(self, *args, cycle: SelectionCycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chosen"].queryset = cycle.candidates.filter(status=CandidateStatus.NOMINATED)
        if not self.is_bound:
            today = timezone.localdate()
            start = cycle.academic_year.start_date
            self.initial.setdefault("program_start_date", max(today, start))
