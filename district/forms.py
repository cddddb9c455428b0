"""Forms of the district app. They check input; the services act on it."""

from django import forms
from django.core.validators import FileExtensionValidator
from django.template.defaultfilters import filesizeformat

# Generous for a district's roster export (a zip of text); the web server may set a lower limit.
ROSTER_UPLOAD_MAX_BYTES = 100 * 1024 * 1024


class RosterImportForm(forms.Form):
    """Upload a OneRoster 1.1 export. Its manifest, not the form, says whether it is bulk or delta."""

    file = forms.FileField(
        label="OneRoster export (.zip)",
        help_text=(
            "The zip file that the student information system exported in OneRoster 1.1 CSV format. "
            "Its manifest says whether it is the whole roster (bulk) or only the changes (delta)."
        ),
        validators=[FileExtensionValidator(allowed_extensions=["zip"])],
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > ROSTER_UPLOAD_MAX_BYTES:
            limit = filesizeformat(ROSTER_UPLOAD_MAX_BYTES)
            raise forms.ValidationError(f"The file is {filesizeformat(upload.size)}; the limit is {limit}.")
        # Whether it is a readable export is the service's to say (see import_new): reading it here
        # too would unzip every upload twice.
        return upload


# A student programs file has four short columns per student: a whole district is well under this.
STUDENT_PROGRAMS_MAX_BYTES = 5 * 1024 * 1024


class StudentProgramsForm(forms.Form):
    """Upload the student programs CSV (student id, IDEA, Section 504, English learner)."""

    file = forms.FileField(
        label="Student programs (.csv)",
        help_text=(
            "A CSV file with the header student_id,idea,section_504,english_learner: the district "
            "student id, then yes or no in each column (empty when not known)."
        ),
        validators=[FileExtensionValidator(allowed_extensions=["csv"])],
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > STUDENT_PROGRAMS_MAX_BYTES:
            limit = filesizeformat(STUDENT_PROGRAMS_MAX_BYTES)
            raise forms.ValidationError(f"The file is {filesizeformat(upload.size)}; the limit is {limit}.")
        return upload
