"""The quick log's forms. They parse and validate what the officer typed; incidents.services acts."""

from __future__ import annotations

import datetime
import re
import uuid

import django_filters
from django import forms
from django.contrib.postgres.search import SearchQuery
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.forms import formset_factory
from django.utils import timezone

from district.models import School, Student
from incidents.models import (
    Case,
    CaseStatus,
    Category,
    EnforcementAction,
    IncidentPart,
    IncidentStatus,
    IncidentType,
    Initiator,
    Interaction,
    InteractionStudent,
    Involvement,
    NotifiedParty,
    OfficerRole,
    Outcome,
    PersonKind,
    ReferralService,
    note_search_vector,
)
from incidents.selectors.bright_lines import categories_with_bright_lines
from incidents.services.interactions import StudentEntry

NO_CJIS = (
    "Never paste criminal-history or other criminal-justice system results (NCIC, CJIS, rap sheets) here."
)
SAME = ("", "Same as for all")
ARREST_CHOICES = [("", "Not answered"), ("yes", "Yes, school-related"), ("no", "No, not school-related")]
RETURNED_CHOICES = [("yes", "Yes, it went back to administration"), ("no", "No")]
BRIGHT_LINE_MARK = " (bright line)"
MAX_STUDENTS = 20


class CategorySelect(forms.Select):
    """The category list; a category tied to a bright line carries the line's statement, which the
    quick log's script shows with the question it asks."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        statement = getattr(getattr(value, "instance", None), "bright_line_statement", None)
        if statement:
            option["attrs"]["data-bright-line"] = statement
        return option


class CategoryChoiceField(forms.ModelChoiceField):
    """Active categories, those that touch a bright line marked as such (seen with or without script)."""

    widget = CategorySelect

    def label_from_instance(self, obj):
        return f"{obj.name}{BRIGHT_LINE_MARK}" if getattr(obj, "bright_line_statement", None) else obj.name


def _categories_for_quick_log(current: int | None = None):
    """Active categories with their bright line; ``current``, a record's own (perhaps retired) one."""
    query = Q(active=True) if current is None else Q(active=True) | Q(pk=current)
    return categories_with_bright_lines(Category.objects.filter(query))


class InteractionForm(forms.Form):
    """Everything but the students, who come in ``StudentFormSet``."""

    key = forms.UUIDField(widget=forms.HiddenInput)
    school = forms.ModelChoiceField(queryset=School.objects.none(), empty_label=None)
    occurred_on = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    occurred_time = forms.TimeField(label="Time", widget=forms.TimeInput(attrs={"type": "time"}))
    officer_role = forms.ChoiceField(
        label="Your role", choices=OfficerRole.choices, widget=forms.RadioSelect, initial=OfficerRole.MENTOR
    )
    category = CategoryChoiceField(queryset=Category.objects.none(), empty_label="Choose…")
    returned_to_administration = forms.ChoiceField(
        label="Did the matter go back to administration?",
        choices=RETURNED_CHOICES,
        widget=forms.RadioSelect,
        required=False,
        help_text="Answer for a category marked “bright line”: the agreement leaves such matters to "
        "the school's administrators.",
    )
    initiator = forms.ChoiceField(label="Who started the contact", choices=Initiator.choices)
    outcome_all = forms.ChoiceField(
        label="Outcome for every involved student",
        choices=[("", "Choose…"), *Outcome.choices],
        required=False,
        help_text="Change it below for a student whose matter ended differently.",
    )
    action_all = forms.ChoiceField(
        label="Law-enforcement action for every involved student",
        choices=EnforcementAction.choices,
        initial=EnforcementAction.NONE,
        required=False,
    )
    anonymous_students = forms.IntegerField(
        label="Students not named (count)", min_value=0, max_value=500, initial=0, required=False
    )
    other_participants = forms.CharField(
        label="Other participants", max_length=200, required=False, help_text="Staff, guardians, others."
    )
    duration_minutes = forms.IntegerField(label="Duration (minutes)", min_value=0, max_value=1440, initial=10)
    place = forms.CharField(max_length=120, required=False, help_text="Hallway, cafeteria, main office…")
    narrative = forms.CharField(
        label="Short note",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=NO_CJIS,
    )
    follow_up_needed = forms.BooleanField(label="Follow-up needed", required=False)
    follow_up_due = forms.DateField(
        label="Follow-up due", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    confirm_names = forms.BooleanField(
        label="Save anyway: the names in the note are not students who belong on this record",
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, schools: QuerySet[School], category: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["category"].queryset = _categories_for_quick_log(category)
        now = timezone.localtime()
        self.fields["occurred_on"].initial = now.date()
        self.fields["occurred_time"].initial = now.time().replace(second=0, microsecond=0)
        self.fields["key"].initial = uuid.uuid4()
        first = schools.first()
        if first is not None:
            self.fields["school"].initial = first.pk

    def show_name_confirmation(self) -> None:
        self.fields["confirm_names"].widget = forms.CheckboxInput()

    def clean(self):
        data = super().clean()
        if data.get("follow_up_needed") and not data.get("follow_up_due"):
            self.add_error("follow_up_due", "Give the date the follow-up is due.")
        if not data.get("follow_up_needed"):
            data["follow_up_due"] = None
        if data.get("anonymous_students") is None:
            data["anonymous_students"] = 0
        category = data.get("category")
        answer = {"yes": True, "no": False}.get(data.get("returned_to_administration") or "")
        if category is not None and getattr(category, "bright_line_statement", None):
            if answer is None:
                self.add_error(
                    "returned_to_administration",
                    f"{category.name} touches a bright line of the agreement: say whether the matter "
                    "went back to administration.",
                )
        else:
            answer = None  # the question concerns only a category tied to a bright line
        data["returned_to_administration"] = answer
        day, time = data.get("occurred_on"), data.get("occurred_time")
        if day and time:
            data["occurred_at"] = timezone.make_aware(datetime.datetime.combine(day, time))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "school",
                "occurred_at",
                "officer_role",
                "category",
                "initiator",
                "duration_minutes",
                "anonymous_students",
                "other_participants",
                "place",
                "narrative",
                "follow_up_due",
                "returned_to_administration",
            )
        }

    @classmethod
    def initial_for(cls, interaction: Interaction) -> dict:
        local = timezone.localtime(interaction.occurred_at)
        return {
            "key": interaction.key,
            "school": interaction.school_id,
            "occurred_on": local.date(),
            "occurred_time": local.time().replace(second=0, microsecond=0),
            "officer_role": interaction.officer_role,
            "category": interaction.category_id,
            "initiator": interaction.initiator,
            "outcome_all": "",
            "action_all": "",
            "anonymous_students": interaction.anonymous_students,
            "other_participants": interaction.other_participants,
            "duration_minutes": interaction.duration_minutes,
            "place": interaction.place,
            "narrative": interaction.narrative,
            "follow_up_needed": interaction.follow_up_due is not None,
            "follow_up_due": interaction.follow_up_due,
            "returned_to_administration": {True: "yes", False: "no"}.get(
                interaction.returned_to_administration, ""
            ),
        }


class StudentRowForm(forms.Form):
    """One student: found by id number (the type-ahead fills it in) or by full name."""

    student = forms.CharField(
        label="Student (name or id)",
        max_length=120,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "data-student-search": "", "inputmode": "search"}
        ),
    )
    # Not required: an empty row is simply skipped, and a named student is involved unless marked.
    involvement = forms.ChoiceField(choices=Involvement.choices, initial=Involvement.INVOLVED, required=False)
    outcome = forms.ChoiceField(label="Outcome", choices=[SAME, *Outcome.choices], required=False)
    action = forms.ChoiceField(
        label="Law-enforcement action", choices=[SAME, *EnforcementAction.choices], required=False
    )
    arrest_school_related = forms.ChoiceField(
        label="If arrested: was it school-related?",
        choices=ARREST_CHOICES,
        required=False,
        help_text="On school grounds, at a school activity, or on a school official's referral.",
    )

    def __init__(self, *args, roster: QuerySet[Student], **kwargs):
        super().__init__(*args, **kwargs)
        self.roster = roster

    def clean_student(self) -> Student | None:
        text = self.cleaned_data["student"].strip()
        if not text:
            return None
        # "Name (id)" as the type-ahead shows it, a bare id, or a full name.
        if text.endswith(")") and "(" in text:
            text = text.rsplit("(", 1)[1].rstrip(")").strip()
        by_number = list(self.roster.filter(student_number=text)[:1])
        if by_number:
            return by_number[0]
        parts = text.split()
        if len(parts) >= 2:
            named = list(
                self.roster.filter(
                    Q(given_name__iexact=parts[0], family_name__iexact=" ".join(parts[1:]))
                    | Q(family_name__iexact=parts[0].rstrip(","), given_name__iexact=" ".join(parts[1:]))
                )[:2]
            )
            if len(named) == 1:
                return named[0]
            if len(named) > 1:
                raise forms.ValidationError("Several students have this name: choose by id.")
        raise forms.ValidationError("No student with this name or id at your schools.")


class _StudentFormSet(forms.BaseFormSet):
    def __init__(self, *args, roster: QuerySet[Student], **kwargs):
        self.roster = roster
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"roster": self.roster}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            roster=self.roster,
        )
        self.add_fields(form, None)
        return form

    def entries(self, *, outcome_all: str, action_all: str) -> list[StudentEntry]:
        """The students named, with "same for all" filled in for the involved (never for a witness)."""
        result = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", {})
            student = data.get("student")
            if student is None:
                continue
            involvement = data.get("involvement") or Involvement.INVOLVED
            involved = involvement == Involvement.INVOLVED
            arrest = {"yes": True, "no": False}.get(data.get("arrest_school_related", ""))
            result.append(
                StudentEntry(
                    student=student,
                    involvement=involvement,
                    outcome=(data.get("outcome") or outcome_all) if involved else data.get("outcome", ""),
                    action=(data.get("action") or action_all) if involved else data.get("action", ""),
                    arrest_school_related=arrest,
                )
            )
        return result


StudentFormSet = formset_factory(
    StudentRowForm, formset=_StudentFormSet, extra=1, max_num=MAX_STUDENTS, validate_max=True
)


def student_initial_for(interaction: Interaction) -> list[dict]:
    arrest = {True: "yes", False: "no", None: ""}
    return [
        {
            "student": f"{row.student.full_name} ({row.student.student_number})",
            "involvement": row.involvement,
            "outcome": row.outcome,
            "action": row.action,
            "arrest_school_related": arrest[row.arrest_school_related],
        }
        for row in interaction.students.select_related("student")
    ]


class AddendumForm(forms.Form):
    text = forms.CharField(
        label="Addendum", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}), help_text=NO_CJIS
    )


# A word as PostgreSQL's "simple" parser splits the note: letters and digits (accents included).
_SEARCH_WORD = re.compile(r"[^\W_]+")
MAX_SEARCH_WORDS = 8


def note_search_query(text: str) -> SearchQuery | None:
    """Every word typed, whole, in any order: ``plainto_tsquery`` (nothing typed is read as query
    syntax), or None when nothing typed is a word.

    Whole words, not prefixes: PostgreSQL estimates a whole word from the index's statistics, so a
    rare word is read from the GIN index and a common one from the newest records down; it gives any
    prefix ("zep:*") one flat estimate, with which a rare prefix walked the whole table for a page
    of 25 (measured with EXPLAIN, tests/incidents/test_search.py).
    """
    words = _SEARCH_WORD.findall(text)[:MAX_SEARCH_WORDS]
    if not words:
        return None
    return SearchQuery(" ".join(words), config="simple")


class InteractionFilter(django_filters.FilterSet):
    """The list's filters: officer, school, category, outcome, action, dates and words in the note."""

    occurred_from = django_filters.DateFilter(
        field_name="occurred_at",
        lookup_expr="date__gte",
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    occurred_to = django_filters.DateFilter(
        field_name="occurred_at",
        lookup_expr="date__lte",
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    outcome = django_filters.ChoiceFilter(label="Outcome", choices=Outcome.choices, method="filter_outcome")
    action = django_filters.ChoiceFilter(
        label="Law-enforcement action", choices=EnforcementAction.choices, method="filter_action"
    )
    text = django_filters.CharFilter(
        label="Words in the note", method="filter_text", help_text="Whole words, in any order."
    )

    class Meta:
        model = Interaction
        fields = ["officer", "school", "category", "officer_role"]

    def filter_outcome(self, queryset, name, value):
        return queryset.filter(
            pk__in=InteractionStudent.objects.filter(outcome=value).values("interaction_id")
        )

    def filter_action(self, queryset, name, value):
        return queryset.filter(
            pk__in=InteractionStudent.objects.filter(action=value).values("interaction_id")
        )

    def filter_text(self, queryset, name, value):
        query = note_search_query(value)
        if query is None:
            return queryset
        return queryset.alias(note_words=note_search_vector()).filter(note_words=query)


class DisclosureForm(forms.Form):
    recipient = forms.CharField(label="To whom", max_length=200, help_text="A person and their organisation.")
    purpose = forms.CharField(label="Why", max_length=300, help_text="The reason and the authority for it.")
    description = forms.CharField(label="What", max_length=500, help_text="What was handed over.")


class ExportForm(forms.Form):
    """Where the file goes: staying with the program, or leaving the school (then a disclosure)."""

    INSIDE, OUTSIDE = "inside", "outside"
    destination = forms.ChoiceField(
        label="Where will this file go?",
        widget=forms.RadioSelect,
        choices=[
            (INSIDE, "It stays with the district's SRO program"),
            (OUTSIDE, "It leaves the school (the agency, a court, a researcher…)"),
        ],
    )
    recipient = forms.CharField(label="To whom", max_length=200, required=False)
    purpose = forms.CharField(label="Why", max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("destination") == self.OUTSIDE:
            for name in ("recipient", "purpose"):
                if not data.get(name, "").strip():
                    self.add_error(name, "Say this: the export is entered in the disclosures register.")
        else:
            data["recipient"] = data["purpose"] = ""
        return data


class RetentionRuleForm(forms.Form):
    name = forms.CharField(label="Rule", max_length=200)
    age_years = forms.IntegerField(
        label="Keep identities until the youngest student involved reaches (years)",
        min_value=18,
        max_value=120,
    )


# --- Cases ----------------------------------------------------------------------------------------


class CaseForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="A few words that say what the matter is.")
    school = forms.ModelChoiceField(queryset=School.objects.none(), empty_label=None)
    note = forms.CharField(
        label="First note",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=NO_CJIS,
    )

    def __init__(self, *args, schools: QuerySet[School], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools


class CaseNoteForm(forms.Form):
    text = forms.CharField(
        label="Note", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), help_text=NO_CJIS
    )


class FollowUpForm(forms.Form):
    task = forms.CharField(max_length=300)
    owner = forms.ModelChoiceField(queryset=None, empty_label=None)
    due_on = forms.DateField(label="Due", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class ReferralForm(forms.Form):
    service = forms.ChoiceField(label="Referred to", choices=ReferralService.choices)
    to_whom = forms.CharField(label="Person or agency", max_length=200, required=False)


class CaseStatusForm(forms.Form):
    status = forms.ChoiceField(choices=CaseStatus.choices)
    reason = forms.CharField(label="Reason for closing", max_length=300, required=False)


class CaseFilter(django_filters.FilterSet):
    class Meta:
        model = Case
        fields = ["status", "school"]


class CategoryForm(forms.Form):
    name = forms.CharField(max_length=100)
    position = forms.IntegerField(min_value=0, max_value=32767, initial=100, help_text="Lower comes first.")
    active = forms.BooleanField(required=False, initial=True, help_text="Offered on the quick log.")
    bright_line_code = forms.ChoiceField(
        label="Bright line",
        required=False,
        help_text="When an officer picks this category, the quick log asks at once whether the matter "
        "went back to administration, so that keeping the bright line is counted.",
    )

    def __init__(self, *args, bright_lines: list[tuple[str, str]], current: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "None: this category touches no bright line"), *bright_lines]
        if current and current not in dict(bright_lines):
            # Kept on the category until changed: the line left the agreement, so nothing is asked.
            choices.append((current, f"{current} (no longer in the agreement: nothing is asked)"))
        self.fields["bright_line_code"].choices = choices


# --- Incident reports -----------------------------------------------------------------------------


def _incident_types(current: int | None = None):
    """Active types, a sub-category only while its parent is active too, each under its parent;
    ``current``, a report's own type, stays offered on its edit page even once retired."""
    offered = Q(active=True) & (Q(parent__isnull=True) | Q(parent__active=True))
    if current is not None:
        offered |= Q(pk=current)
    return (
        IncidentType.objects.filter(offered)
        .select_related("parent")
        .order_by(
            Coalesce("parent__position", "position"),
            Coalesce("parent__name", "name"),
            F("parent_id").asc(nulls_first=True),  # the type itself, then its sub-categories
            "position",
        )
    )


class IncidentForm(forms.Form):
    key = forms.UUIDField(widget=forms.HiddenInput)
    school = forms.ModelChoiceField(queryset=School.objects.none(), empty_label=None)
    occurred_on = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    occurred_time = forms.TimeField(label="Time", widget=forms.TimeInput(attrs={"type": "time"}))
    incident_type = forms.ModelChoiceField(
        label="Type", queryset=IncidentType.objects.none(), empty_label="Choose…"
    )
    alcohol = forms.BooleanField(required=False, label="Alcohol")
    drugs = forms.BooleanField(required=False, label="Drugs")
    gang = forms.BooleanField(required=False, label="Gang")
    hate_or_bias = forms.BooleanField(required=False, label="Hate or bias")
    weapon = forms.BooleanField(required=False, label="Weapon")
    place = forms.CharField(max_length=120, required=False)
    weapon_or_injury = forms.CharField(label="Weapon or injury", max_length=300, required=False)
    narrative = forms.CharField(max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 5}),
                                help_text=NO_CJIS)  # fmt: skip
    actions_taken = forms.CharField(label="Actions taken", max_length=2000, required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip

    def __init__(self, *args, schools: QuerySet[School], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["incident_type"].queryset = _incident_types(self.initial.get("incident_type"))
        now = timezone.localtime()
        self.fields["occurred_on"].initial = now.date()
        self.fields["occurred_time"].initial = now.time().replace(second=0, microsecond=0)
        self.fields["key"].initial = uuid.uuid4()

    def clean(self):
        data = super().clean()
        day, time = data.get("occurred_on"), data.get("occurred_time")
        if day and time:
            data["occurred_at"] = timezone.make_aware(datetime.datetime.combine(day, time))
        return data

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("key", "occurred_on", "occurred_time"):
            data.pop(name, None)
        return data

    @classmethod
    def initial_for(cls, incident) -> dict:
        local = timezone.localtime(incident.occurred_at)
        names = ("alcohol", "drugs", "gang", "hate_or_bias", "weapon", "place", "weapon_or_injury",
                 "narrative", "actions_taken")  # fmt: skip
        return {
            "key": incident.key, "school": incident.school_id, "occurred_on": local.date(),
            "occurred_time": local.time().replace(second=0, microsecond=0),
            "incident_type": incident.incident_type_id, **{name: getattr(incident, name) for name in names},
        }  # fmt: skip


class IncidentTypeForm(forms.Form):
    name = forms.CharField(max_length=150)
    parent = forms.ModelChoiceField(
        label="Sub-category of",
        queryset=IncidentType.objects.none(),
        required=False,
        empty_label="None: a type of its own",
    )
    position = forms.IntegerField(
        min_value=0, max_value=32767, initial=100, help_text="Lower comes first (among its siblings)."
    )
    active = forms.BooleanField(required=False, initial=True, help_text="Offered on incident reports.")

    def __init__(self, *args, editing: IncidentType | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        parents = IncidentType.objects.filter(parent__isnull=True).order_by("position", "name")
        if editing is not None:
            parents = parents.exclude(pk=editing.pk)
        self.fields["parent"].queryset = parents


class PromoteForm(forms.Form):
    incident_type = forms.ModelChoiceField(label="Incident type", queryset=IncidentType.objects.none(),
                                           empty_label="Choose…")  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incident_type"].queryset = _incident_types()


class IncidentPersonForm(forms.Form):
    kind = forms.ChoiceField(choices=PersonKind.choices)
    student = forms.CharField(label="Student id", max_length=64, required=False, help_text="For a student.")
    name = forms.CharField(max_length=200, required=False, help_text="For staff and others.")
    part = forms.ChoiceField(choices=IncidentPart.choices)


class IncidentNotificationForm(forms.Form):
    party = forms.ChoiceField(label="Who was told", choices=NotifiedParty.choices)
    notified_on = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    notified_time = forms.TimeField(label="Time", widget=forms.TimeInput(attrs={"type": "time"}))
    note = forms.CharField(max_length=200, required=False)

    def clean(self):
        data = super().clean()
        day, time = data.get("notified_on"), data.get("notified_time")
        if day and time:
            data["notified_at"] = timezone.make_aware(datetime.datetime.combine(day, time))
        return data


class IncidentStatusForm(forms.Form):
    status = forms.ChoiceField(choices=IncidentStatus.choices)
