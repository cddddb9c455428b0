"""Forms of the feedback pages: they validate input; the services act and enforce the rules."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from district.models import AcademicYear, School
from feedback.models import (
    SCALE_LABELS,
    YES_NO_LABELS,
    ActionStatus,
    Audience,
    Campaign,
    CampaignKind,
    Concern,
    ConcernKind,
    ConcernStatus,
    Figure,
    ImprovementAction,
    Language,
    Phase,
    QuestionKind,
    Schedule,
    Survey,
    Theme,
)
from feedback.services.responses import field_name
from officers.models import Officer, OfficerStatus


class SurveyForm(forms.Form):
    title = forms.CharField(max_length=200)
    title_es = forms.CharField(label="Title in Spanish", max_length=200)
    audience = forms.ChoiceField(choices=Audience.choices)
    introduction = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    introduction_es = forms.CharField(
        label="Introduction in Spanish", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(choices=QuestionKind.choices)
    theme = forms.ChoiceField(choices=Theme.choices)
    text = forms.CharField(label="Question in English", max_length=500)
    text_es = forms.CharField(label="Question in Spanish", max_length=500)
    required = forms.BooleanField(required=False, initial=True, label="An answer is required")
    choices = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            "Choice questions only: one choice a line, English | Spanish "
            "(for example: By phone | Por teléfono)."
        ),
    )

    def clean_choices(self) -> list[tuple[str, str]]:
        pairs = []
        for number, line in enumerate(self.cleaned_data["choices"].splitlines(), start=1):
            if not line.strip():
                continue
            english, bar, spanish = line.partition("|")
            if not bar or not english.strip() or not spanish.strip():
                raise forms.ValidationError(f"Line {number}: write the English, a bar |, then the Spanish.")
            pairs.append((english.strip()[:200], spanish.strip()[:200]))
        return pairs


def question_initial(question) -> dict:
    """A question as the question form's initial data; its choices one a line, English | Spanish."""
    return {
        "kind": question.kind,
        "theme": question.theme,
        "text": question.text,
        "text_es": question.text_es,
        "required": question.required,
        "choices": "\n".join(f"{c.text} | {c.text_es}" for c in question.choices.all()),
    }


class QuestionMoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])


class CampaignForm(forms.Form):
    title = forms.CharField(max_length=200)
    survey = forms.ModelChoiceField(queryset=Survey.objects.none())
    officers = forms.ModelMultipleChoiceField(
        queryset=Officer.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    schools = forms.ModelMultipleChoiceField(
        queryset=School.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    anonymous = forms.BooleanField(
        required=False, initial=True, help_text="Answers kept with no link to the person."
    )
    schedule = forms.ChoiceField(choices=[c for c in Schedule.choices if c[0] != Schedule.ONCE])
    dates = forms.CharField(
        required=False, help_text="For 'on chosen dates': dates as YYYY-MM-DD, separated by commas."
    )
    starts_on = forms.DateField(initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"}))
    open_days = forms.IntegerField(min_value=1, max_value=90, initial=14, label="Days each round stays open")
    reminders = forms.IntegerField(min_value=0, max_value=5, initial=2, label="Reminders")
    reminder_spacing_days = forms.IntegerField(
        min_value=1, max_value=30, initial=4, label="Days between reminders"
    )
    student_share = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=100,
        label="Percent of students asked",
        help_text="Student surveys only: each round asks a random sample of this share of the active "
        "students in grade 6 and up at the schools.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survey"].queryset = Survey.objects.all()
        self.fields["officers"].queryset = Officer.objects.filter(status=OfficerStatus.ACTIVE).order_by(
            "family_name", "given_name"
        )
        self.fields["schools"].queryset = School.objects.filter(active=True).order_by("name")

    def clean_dates(self):
        import datetime

        found = []
        for part in self.cleaned_data["dates"].replace(";", ",").split(","):
            if part.strip():
                try:
                    found.append(datetime.date.fromisoformat(part.strip()))
                except ValueError:
                    raise forms.ValidationError(f"“{part.strip()}” is not a date (YYYY-MM-DD).") from None
        return found


class EventForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="For example: Grade 8 presentation on online safety.")
    survey = forms.ModelChoiceField(queryset=Survey.objects.none())
    school = forms.ModelChoiceField(queryset=School.objects.none(), required=False)
    max_answers = forms.IntegerField(min_value=1, max_value=1000, initial=30, label="Most answers taken")
    closes_at = forms.DateTimeField(
        label="Closes at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survey"].queryset = Survey.objects.all()
        self.fields["school"].queryset = School.objects.filter(active=True).order_by("name")


class GoalMeasureForm(forms.Form):
    campaign = forms.ModelChoiceField(
        queryset=Campaign.objects.none(), help_text="The campaign whose goal rounds measure this goal."
    )
    theme = forms.ChoiceField(choices=Theme.choices, help_text="The questions of this theme are read.")
    figure = forms.ChoiceField(choices=Figure.choices)
    target = forms.DecimalField(
        required=False,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        help_text="Optional: the figure to reach (a mean of 1 to 5, or a percent for a share).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.filter(kind=CampaignKind.RECURRING).order_by(
            "title"
        )


class GoalRoundForm(forms.Form):
    academic_year = forms.ModelChoiceField(queryset=AcademicYear.objects.none())
    phase = forms.ChoiceField(choices=Phase.choices)
    opens_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="A round of this campaign that opens that day becomes the goal round; otherwise one is "
        "scheduled.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["academic_year"].queryset = AcademicYear.objects.order_by("-start_date")


class ActionForm(forms.ModelForm):
    class Meta:
        model = ImprovementAction
        fields = ["theme", "finding", "change", "owner", "due_on", "status"]
        widgets = {
            "due_on": forms.DateInput(attrs={"type": "date"}),
            "change": forms.Textarea(attrs={"rows": 3}),
        }


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices)


class ConcernPublicForm(forms.ModelForm):
    class Meta:
        model = Concern
        fields = ["kind", "about", "officer", "school", "description", "name", "email"]
        labels = {"kind": "This is a", "officer": "Officer (if you know)", "school": "School (if any)"}
        widgets = {"kind": forms.RadioSelect, "description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ConcernKind.choices
        self.fields["officer"].queryset = Officer.objects.filter(status=OfficerStatus.ACTIVE).order_by(
            "family_name"
        )
        self.fields["school"].queryset = School.objects.filter(active=True).order_by("name")


class ConcernUpdateForm(forms.Form):
    status = forms.ChoiceField(choices=ConcernStatus.choices)
    response = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    outcome = forms.CharField(max_length=300, required=False)


REQUIRED = {"en": "Please answer this question.", "es": "Por favor, responda esta pregunta."}
INVALID = {"en": "Choose one of the options shown.", "es": "Elija una de las opciones que se muestran."}


class AnswerForm(forms.Form):
    """The survey's questions as fields named q_<id>, worded in the respondent's language."""

    def __init__(self, *args, survey: Survey, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.language = language if language in Language.values else Language.ENGLISH
        self.questions = list(survey.questions.prefetch_related("choices"))
        for question in self.questions:
            self.fields[field_name(question)] = self._field(question)

    def _field(self, question) -> forms.Field:
        field = self._bare_field(question)
        field.error_messages["required"] = REQUIRED[self.language]
        field.error_messages["invalid_choice"] = INVALID[self.language]
        return field

    def _bare_field(self, question) -> forms.Field:
        label = question.text_in(self.language)
        required = question.required
        if question.kind == QuestionKind.SCALE:
            choices = [
                (str(n), f"{n} – {text}") for n, text in enumerate(SCALE_LABELS[self.language], start=1)
            ]
            return forms.TypedChoiceField(
                label=label, choices=choices, coerce=int, required=required, widget=forms.RadioSelect
            )
        if question.kind == QuestionKind.YES_NO:
            yes, no = YES_NO_LABELS[self.language]
            return forms.TypedChoiceField(
                label=label,
                choices=[("yes", yes), ("no", no)],
                coerce=lambda value: value == "yes",
                required=required,
                widget=forms.RadioSelect,
            )
        if question.kind == QuestionKind.TEXT:
            return forms.CharField(
                label=label, required=required, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
            )
        choices = [(str(choice.pk), choice.text_in(self.language)) for choice in question.choices.all()]
        if question.kind == QuestionKind.SINGLE:
            return forms.TypedChoiceField(
                label=label, choices=choices, coerce=int, required=required, widget=forms.RadioSelect
            )
        return forms.TypedMultipleChoiceField(
            label=label, choices=choices, coerce=int, required=required, widget=forms.CheckboxSelectMultiple
        )

    def answers(self) -> dict[int, object]:
        return {question.pk: self.cleaned_data.get(field_name(question)) for question in self.questions}
