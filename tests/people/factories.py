"""factory_boy factories for the people app, and a helper that invites through the service."""

import datetime
import secrets

import factory
from django.utils import timezone

from district.roles import Role
from people.models import Invitation
from people.services.invitations import invitation_create
from tests.district.factories import UserFactory


class InvitationFactory(factory.django.DjangoModelFactory):
    """A pending invitation, made directly (``invite`` goes through the service and emails)."""

    class Meta:
        model = Invitation

    email = factory.Sequence(lambda n: f"invitee{n}@district.example")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    roles = factory.LazyFunction(lambda: [Role.ADMINISTRATOR.value])
    district_wide = True
    token_hash = factory.LazyFunction(lambda: Invitation.hash_token(secrets.token_urlsafe(32)))
    invited_by = factory.SubFactory(UserFactory, roles=[Role.COORDINATOR])
    sent_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))


def invitation_with_token(**kwargs) -> tuple[Invitation, str]:
    """A pending invitation and the token its link carries."""
    token = secrets.token_urlsafe(32)
    return InvitationFactory(token_hash=Invitation.hash_token(token), **kwargs), token


def invite(*, invited_by, **kwargs) -> tuple[Invitation, str]:
    """Invite through the service as a coordinator would; return the invitation and its link's token."""
    tokens = []

    def link_for(token: str) -> str:
        tokens.append(token)
        return f"http://testserver/people/invitations/accept/{token}/"

    values = {
        "email": "new.principal@district.example",
        "first_name": "Nadia",
        "last_name": "Okafor",
        "roles": [Role.ADMINISTRATOR],
        "district_wide": True,
        **kwargs,
    }
    invitation = invitation_create(invited_by=invited_by, link_for=link_for, **values)
    return invitation, tokens[-1]
