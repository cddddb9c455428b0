"""Sign-in throttling: whose address an attempt comes from, and the two limits that lock a username.

Behind the reverse proxy every request's REMOTE_ADDR is the proxy's, so a lock by username and
address would let anyone lock out anyone. The client's address is read from X-Forwarded-For, but only
as far as the configured number of trusted proxies vouch for it. And since addresses are cheap, a
username also locks everywhere after a higher number of failures from any addresses.
"""

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Sum


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def client_address(request) -> str | None:
    """The address of whoever sent the request, as the outermost of our trusted proxies saw it.

    Each proxy appends the address it was reached from to X-Forwarded-For, so with N trusted proxies
    (the last being REMOTE_ADDR) the client is N places from the end of X-Forwarded-For + REMOTE_ADDR.
    Anything further left was written by the client and is ignored.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.SRO_TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [part for part in forwarded if part] + ([remote] if remote else [])
    if not chain:
        return remote
    # A chain shorter than the proxies configured (a request that did not pass through all of
    # them): the leftmost address is the best there is.
    client = chain[max(len(chain) - 1 - count, 0)]
    return client if _valid(client) else remote


class SignInAttemptHandler(AxesDatabaseHandler):
    """Axes' database handler with two limits: per username and address, and per username.

    Axes compares one number with one limit (AXES_FAILURE_LIMIT), so ``get_failures`` reports the
    failures from this address, or the limit itself once the username's failures from all addresses
    reach SRO_LOGIN_USERNAME_FAILURE_LIMIT.
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        by_address, by_username = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if by_username >= settings.SRO_LOGIN_USERNAME_FAILURE_LIMIT:
            return max(by_address, get_failure_limit(request, credentials))
        return by_address

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """A successful sign-in clears the failures from its own address only: failures from other
        addresses still count towards the username's limit."""
        by_address = self.filter_user_attempts(request, credentials)[0]
        count, _ = by_address.delete()
        return count
