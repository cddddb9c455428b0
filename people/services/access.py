"""Roles and scope, deactivation, authenticator resets and the first coordinator; each change is
kept as an ``AccessChange`` with who made it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django_otp import devices_for_user

from district.models import School, User
from district.roles import Role
from officers.models import Agency, Officer
from people.models import AccessChange, AccessChangeAction
from people.sessions import sessions_end_for_user

LAST_COORDINATOR = (
    "This is the last active coordinator: the program would have no one to run it. "
    "Give another person the Coordinator role first."
)
EMAIL_IN_USE = "An account already uses this email address."
USERNAME_IN_USE = "An account already uses this username."
OFFICER_HAS_ACCOUNT = "This officer record already belongs to an account."
NEEDS_SCHOOLS = "Choose the administrator's schools, or make them district-wide."
NEEDS_AGENCY = "Choose the agency an agency supervisor works for."
NEEDS_OFFICER = "Choose the officer record of the SRO."
NEEDS_ROLE = "Choose at least one role."


@dataclass(frozen=True)
class Access:
    """A person's roles and how far they see: the same shape for an invitation and an account."""

    roles: frozenset[Role]
    schools: tuple[School, ...] = ()
    district_wide: bool = False
    agencies: tuple[Agency, ...] = ()
    officer: Officer | None = None

    def roles_description(self) -> list[str]:
        return [role.label for role in Role if role in self.roles]

    def scope_description(self) -> dict:
        return {
            "schools": sorted(school.name for school in self.schools),
            "district_wide": self.district_wide,
            "agencies": sorted(agency.name for agency in self.agencies),
            "officer": str(self.officer) if self.officer else "",
        }


def access_clean(
    *,
    roles: Iterable[str],
    schools: Iterable[School] = (),
    district_wide: bool = False,
    agencies: Iterable[Agency] = (),
    officer: Officer | None = None,
) -> Access:
    """The access asked for, with scope that no chosen role uses dropped; refuse missing scope."""
    chosen = frozenset(Role(role) for role in roles)
    errors: dict[str, str] = {}
    if not chosen:
        errors["roles"] = NEEDS_ROLE
    is_admin = Role.ADMINISTRATOR in chosen
    schools = tuple(schools) if is_admin else ()
    district_wide = bool(district_wide) and is_admin
    if is_admin and not schools and not district_wide:
        errors["schools"] = NEEDS_SCHOOLS
    agencies = tuple(agencies) if Role.AGENCY_SUPERVISOR in chosen else ()
    if Role.AGENCY_SUPERVISOR in chosen and not agencies:
        errors["agency"] = NEEDS_AGENCY
    officer = officer if Role.SRO in chosen else None
    if Role.SRO in chosen and officer is None:
        errors["officer"] = NEEDS_OFFICER
    if errors:
        raise ValidationError(errors)
    return Access(
        roles=chosen,
        schools=tuple(sorted(schools, key=lambda s: s.name)),
        district_wide=district_wide,
        agencies=tuple(sorted(agencies, key=lambda a: a.name)),
        officer=officer,
    )


def access_of(*, user: User) -> Access:
    """The access an account holds now."""
    officer = Officer.objects.filter(user=user).first()
    return Access(
        roles=frozenset(user.roles),
        schools=tuple(user.schools.order_by("name")),
        district_wide=user.district_wide,
        agencies=tuple(Agency.objects.filter(supervisors=user).order_by("name")),
        officer=officer,
    )


def access_change_record(
    *, actor: User | None, action: str, user: User | None = None, invitation=None, details: dict | None = None
) -> AccessChange:
    """Keep one change to someone's access, with who made it."""
    return AccessChange.objects.create(
        actor=actor, user=user, invitation=invitation, action=action, details=details or {}
    )


def email_in_use(*, email: str, exclude_user_pk: int | None = None) -> bool:
    """Whether an account already uses this address, as its email or as its username."""
    users = User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
    if exclude_user_pk is not None:
        users = users.exclude(pk=exclude_user_pk)
    return users.exists()


def _coordinators_locked() -> None:
    """Serialise every change that could leave the program without an active coordinator."""
    Group.objects.select_for_update().get(name=Role.COORDINATOR.label)


def _is_last_active_coordinator(user: User) -> bool:
    others = User.objects.filter(groups__name=Role.COORDINATOR.label, is_active=True).exclude(pk=user.pk)
    return user.is_active and user.has_role(Role.COORDINATOR) and not others.exists()


def _role_groups(roles: Iterable[Role]) -> list[Group]:
    return list(Group.objects.filter(name__in=[role.label for role in roles]))


def access_apply(*, user: User, access: Access) -> None:
    """Give an account exactly this access (role groups, schools, agencies, officer record)."""
    other_groups = user.groups.exclude(name__in=[role.label for role in Role])
    user.groups.set([*other_groups, *_role_groups(access.roles)])
    user.schools.set(access.schools)
    if user.district_wide != access.district_wide:
        user.district_wide = access.district_wide
        user.save(update_fields=["district_wide"])
    user.supervised_agencies.set(access.agencies)
    for old in (
        Officer.objects.select_for_update()
        .filter(user=user)
        .exclude(pk=access.officer.pk if access.officer else None)
    ):
        old.user = None
        old.save(update_fields=["user"])
    if access.officer is not None:
        officer = Officer.objects.select_for_update().get(pk=access.officer.pk)
        if officer.user_id != user.pk:
            if officer.user_id is not None:
                raise ValidationError({"officer": OFFICER_HAS_ACCOUNT})
            officer.user = user
            officer.save(update_fields=["user"])
    user.__dict__.pop("roles", None)  # The cached property read the old groups.


@transaction.atomic
def user_access_update(
    *,
    actor: User,
    user: User,
    roles: Iterable[str],
    schools: Iterable[School] = (),
    district_wide: bool = False,
    agencies: Iterable[Agency] = (),
    officer: Officer | None = None,
) -> list[AccessChange]:
    """Change a person's roles and scope; the last active coordinator keeps the Coordinator role."""
    access = access_clean(
        roles=roles, schools=schools, district_wide=district_wide, agencies=agencies, officer=officer
    )
    _coordinators_locked()
    user = User.objects.select_for_update().get(pk=user.pk)
    if Role.COORDINATOR not in access.roles and _is_last_active_coordinator(user):
        raise ValidationError({"roles": LAST_COORDINATOR})
    before = access_of(user=user)
    access_apply(user=user, access=access)
    changes = []
    if before.roles != access.roles:
        details = {"before": before.roles_description(), "after": access.roles_description()}
        changes.append(
            access_change_record(
                actor=actor, user=user, action=AccessChangeAction.ROLES_CHANGED, details=details
            )
        )
    if before.scope_description() != access.scope_description():
        details = {"before": before.scope_description(), "after": access.scope_description()}
        changes.append(
            access_change_record(
                actor=actor, user=user, action=AccessChangeAction.SCOPE_CHANGED, details=details
            )
        )
    return changes


@transaction.atomic
def user_deactivate(*, actor: User, user: User) -> User:
    """Stop a person signing in and end every session they have; nothing of theirs is deleted."""
    _coordinators_locked()
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise ValidationError(f"{user} is already deactivated.")
    if _is_last_active_coordinator(user):
        raise ValidationError(LAST_COORDINATOR)
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = sessions_end_for_user(user_id=user.pk)
    access_change_record(
        actor=actor, user=user, action=AccessChangeAction.DEACTIVATED, details={"sessions_ended": ended}
    )
    return user


@transaction.atomic
def user_reactivate(*, actor: User, user: User) -> User:
    """Let a deactivated person sign in again, with the roles and scope they had."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        raise ValidationError(f"{user} is already active.")
    user.is_active = True
    user.save(update_fields=["is_active"])
    access_change_record(actor=actor, user=user, action=AccessChangeAction.REACTIVATED)
    return user


@transaction.atomic
def user_authenticator_reset(*, actor: User, user: User) -> int:
    """Remove a person's authenticators and backup codes, so they enrol again at next sign-in."""
    user = User.objects.select_for_update().get(pk=user.pk)
    removed = []
    for device in devices_for_user(user, confirmed=None):
        removed.append(type(device).__name__)
        device.delete()
    # A session verified with the lost device would stay verified: end it too.
    ended = sessions_end_for_user(user_id=user.pk)
    access_change_record(
        actor=actor,
        user=user,
        action=AccessChangeAction.AUTHENTICATOR_RESET,
        details={"devices_removed": sorted(removed), "sessions_ended": ended},
    )
    return len(removed)


@transaction.atomic
def coordinator_create(
    *, username: str, email: str, first_name: str = "", last_name: str = "", password: str
) -> User:
    """Create the first coordinator (or another), refusing a username or email in use or a weak password."""
    username = username.strip()
    email = email.strip().lower()
    errors: dict[str, list[str]] = {}
    try:
        User.username_validator(username)
    except ValidationError as error:
        errors["username"] = error.messages
    try:
        validate_email(email)
    except ValidationError as error:
        errors["email"] = error.messages
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = [USERNAME_IN_USE]
    if email_in_use(email=email):
        errors["email"] = [EMAIL_IN_USE]
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        errors["password"] = error.messages
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    user.groups.add(Group.objects.get(name=Role.COORDINATOR.label))
    access_change_record(
        actor=None,
        user=user,
        action=AccessChangeAction.CREATED,
        details={"after": {"roles": [Role.COORDINATOR.label]}},
    )
    return user
