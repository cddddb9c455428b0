"""The officers models in the Django admin, for the system administrator.

Day-to-day work goes through the application's pages (and their services); the admin is for
repairs, so it shows history and keeps lookups cheap with raw id fields on the large tables.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Agency,
    Assignment,
    AssignmentDay,
    Candidate,
    FitCriterion,
    Officer,
    OfficerLeave,
    Panelist,
    Score,
    Scorecard,
    SelectionCycle,
    SessionParticipant,
    TrainingCourse,
    TrainingExpiryWarning,
    TrainingPolicy,
    TrainingRecord,
    TrainingSession,
)


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "contact_name", "phone"]
    search_fields = ["name"]
    filter_horizontal = ["supervisors"]


@admin.register(Officer)
class OfficerAdmin(SimpleHistoryAdmin):
    list_display = ["family_name", "given_name", "agency", "badge_number", "status", "program_start_date"]
    list_filter = ["agency", "status"]
    search_fields = ["family_name", "given_name", "badge_number"]
    list_select_related = ["agency"]
    raw_id_fields = ["user"]


@admin.register(OfficerLeave)
class OfficerLeaveAdmin(SimpleHistoryAdmin):
    list_display = ["officer", "start_date", "end_date", "reason"]
    list_select_related = ["officer"]
    raw_id_fields = ["officer"]


class FitCriterionInline(admin.TabularInline):
    model = FitCriterion
    extra = 0


class PanelistInline(admin.TabularInline):
    model = Panelist
    extra = 0
    raw_id_fields = ["user"]


@admin.register(SelectionCycle)
class SelectionCycleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "agency", "academic_year", "status", "opened_at", "decided_at"]
    list_filter = ["status", "academic_year", "agency"]
    search_fields = ["title"]
    list_select_related = ["agency", "academic_year"]
    raw_id_fields = ["opened_by", "decided_by"]
    filter_horizontal = ["schools"]
    inlines = [FitCriterionInline, PanelistInline]


@admin.register(Candidate)
class CandidateAdmin(SimpleHistoryAdmin):
    list_display = ["family_name", "given_name", "badge_number", "cycle", "status"]
    list_filter = ["status"]
    search_fields = ["family_name", "given_name", "badge_number"]
    list_select_related = ["cycle"]
    raw_id_fields = ["cycle", "nominated_by", "officer"]


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0
    raw_id_fields = ["criterion"]


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin):
    list_display = ["panelist", "candidate", "submitted_at"]
    list_select_related = ["panelist__user", "panelist__cycle", "candidate"]
    raw_id_fields = ["panelist", "candidate"]
    inlines = [ScoreInline]


@admin.register(TrainingCourse)
class TrainingCourseAdmin(SimpleHistoryAdmin):
    list_display = ["title", "provider", "category", "hours", "renewal_months", "active"]
    list_filter = ["category", "active"]
    search_fields = ["title", "provider"]


@admin.register(TrainingPolicy)
class TrainingPolicyAdmin(SimpleHistoryAdmin):
    list_display = ["academic_year", "minimum_hours"]


class SessionParticipantInline(admin.TabularInline):
    model = SessionParticipant
    extra = 0
    raw_id_fields = ["officer", "user", "staff"]


@admin.register(TrainingSession)
class TrainingSessionAdmin(SimpleHistoryAdmin):
    list_display = ["course", "date", "location", "capacity", "attendance_taken_at"]
    list_select_related = ["course"]
    inlines = [SessionParticipantInline]


@admin.register(TrainingRecord)
class TrainingRecordAdmin(SimpleHistoryAdmin):
    list_display = ["officer", "course", "completed_on", "expires_on", "verified_at"]
    list_filter = ["course"]
    list_select_related = ["officer", "course"]
    raw_id_fields = ["officer", "session", "verified_by"]
    search_fields = ["officer__family_name", "officer__badge_number"]


@admin.register(TrainingExpiryWarning)
class TrainingExpiryWarningAdmin(admin.ModelAdmin):
    list_display = ["record", "days_before", "claimed_at"]
    raw_id_fields = ["record"]


class AssignmentDayInline(admin.TabularInline):
    model = AssignmentDay
    extra = 0


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["officer", "school", "academic_year", "role", "start_date", "end_date"]
    list_filter = ["academic_year", "role", "school"]
    list_select_related = ["officer", "school", "academic_year"]
    raw_id_fields = ["officer"]
    inlines = [AssignmentDayInline]
