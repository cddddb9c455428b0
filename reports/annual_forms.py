"""Forms of the annual report: they check input; the services act on it."""

from django import forms

from reports.models import ReportNarrative


class NarrativeForm(forms.ModelForm):
    """The coordinator's words in a report: highlights, challenges and goals for next year."""

    class Meta:
        model = ReportNarrative
        fields = ["highlights", "challenges", "next_year_goals"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}
        help_texts = {
            "highlights": "What went well this year. Counts only: never name a student.",
            "challenges": "What was hard, and what the figures do not show.",
            "next_year_goals": "What the program means to do next year.",
        }
