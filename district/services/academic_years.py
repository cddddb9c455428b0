"""Academic years: which one is current."""

from django.db import transaction

from district.models import AcademicYear


@transaction.atomic
def academic_year_make_current(*, year: AcademicYear) -> AcademicYear:
    """Make this year the current one; the year that was current stops being so, in one transaction."""
    # The database allows one current year: unset the others before setting this one.
    for other in AcademicYear.objects.select_for_update().filter(is_current=True).exclude(pk=year.pk):
        other.is_current = False
        other.save(update_fields=["is_current"])
    year = AcademicYear.objects.select_for_update().get(pk=year.pk)
    if not year.is_current:
        year.is_current = True
        year.save(update_fields=["is_current"])
    return year
