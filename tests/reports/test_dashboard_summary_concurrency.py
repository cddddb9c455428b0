"""Officers logging at the same moment, into the same summary rows, leave the summaries exact."""

import pytest

from incidents.models import InteractionStudent
from reports.models import InteractionSummary, InteractionSummaryMonth
from reports.services.summary import summary_differences
from tests.district.factories import StudentFactory
from tests.incidents.factories import log
from tests.threads import at_once


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_four_quick_logs_at_once_into_one_summary_row(officer, school):
    students = [StudentFactory(school=school) for _ in range(4)]
    queue = list(students)

    def one():
        return log(author=officer.user, school=school, students=[queue.pop()]).pk

    assert len(set(at_once(one, workers=4))) == 4
    assert summary_differences() == {}
    row = InteractionSummary.objects.get()
    assert (row.contacts, row.students_involved) == (4, 4)
    assert InteractionSummaryMonth.objects.get().contacts == 4
    assert InteractionStudent.objects.count() == 4
