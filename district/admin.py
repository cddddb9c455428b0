"""The district models in the Django admin, for the system administrator.

Day-to-day work goes through the application's pages (the coordinator invites people and changes
their roles in the People section, where each change is kept with who made it); the admin is for
setting up and repairing. The roster comes from the student information system and the access
log is a record of what happened, so both are read-only here.
"""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import IntegrityError
from simple_history.admin import SimpleHistoryAdmin

from sro_program.admin_support import ReadOnlyAdmin, ReadOnlyMixin

from .models import (
    AcademicYear,
    AccessLog,
    Guardian,
    RosterImport,
    School,
    Staff,
    Student,
    StudentDemographics,
    User,
)
from .services.academic_years import academic_year_make_current


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "email",
        "roles_list",
        "schools_list",
        "district_wide",
        "is_active",
        "is_staff",
    ]
    list_filter = ["groups", "district_wide", "is_active", "is_staff", "is_superuser"]
    filter_horizontal = ["groups", "user_permissions", "schools"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        ("Program scope", {"fields": ["schools", "district_wide", "phone"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups", "schools")

    @admin.display(description="Roles")
    def roles_list(self, user: User) -> str:
        return ", ".join(group.name for group in user.groups.all())

    @admin.display(description="Schools")
    def schools_list(self, user: User) -> str:
        return ", ".join(school.name for school in user.schools.all())


@admin.register(School)
class SchoolAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "level", "active"]
    list_filter = ["level", "active"]
    search_fields = ["name", "code"]


@admin.register(AcademicYear)
class AcademicYearAdmin(SimpleHistoryAdmin):
    list_display = ["name", "start_date", "end_date", "is_current"]
    # The database allows one current year: it changes only through the action, which unsets the
    # year that was current in the same transaction.
    readonly_fields = ["is_current"]
    actions = ["make_current"]

    @admin.action(description="Make the selected year the current one")
    def make_current(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Choose exactly one year to make current.", messages.ERROR)
            return
        try:
            year = academic_year_make_current(year=queryset.get())
        except IntegrityError:  # Another administrator changed the current year at the same moment.
            self.message_user(request, "The current year changed meanwhile; try again.", messages.ERROR)
            return
        self.message_user(request, f"{year} is now the current year.", messages.SUCCESS)


class ReadOnlyHistoryAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    pass


@admin.register(Student)
class StudentAdmin(ReadOnlyHistoryAdmin):
    list_display = ["family_name", "given_name", "student_number", "grade", "school", "active"]
    list_filter = ["active", "grade", "school"]
    list_select_related = ["school"]
    search_fields = ["family_name", "given_name", "student_number"]


@admin.register(StudentDemographics)
class StudentDemographicsAdmin(ReadOnlyHistoryAdmin):
    list_display = ["student", "sex", "race_ethnicity", "disability", "english_learner"]
    list_select_related = ["student"]


@admin.register(Staff)
class StaffAdmin(ReadOnlyHistoryAdmin):
    list_display = ["family_name", "given_name", "email", "role", "active"]
    list_filter = ["active", "role"]
    search_fields = ["family_name", "given_name", "email"]


@admin.register(Guardian)
class GuardianAdmin(ReadOnlyHistoryAdmin):
    list_display = ["family_name", "given_name", "email", "relationship", "active"]
    list_filter = ["active"]
    search_fields = ["family_name", "given_name", "email"]


@admin.register(RosterImport)
class RosterImportAdmin(ReadOnlyAdmin):
    list_display = ["pk", "original_name", "mode", "status", "created_at", "finished_at"]
    list_filter = ["status", "mode"]
    exclude = ["file"]


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "action", "record_type", "record_id", "student"]
    list_filter = ["action", "record_type"]
    list_select_related = ["user", "student"]
    search_fields = ["record_type", "record_id", "user__username"]
    date_hierarchy = "at"
