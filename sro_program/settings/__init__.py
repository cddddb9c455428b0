"""Settings per environment (base, local, test, production), read from the environment.

A variable that is missing or wrong stops start-up with one line naming it, not a traceback: the
settings raise ``ConfigurationError`` and each entry point (manage.py, the WSGI and ASGI modules)
runs inside ``configuration_errors_in_one_line``.
"""

import contextlib
import sys
from collections.abc import Iterator

from django.core.exceptions import ImproperlyConfigured

# gunicorn's "worker failed to boot" status: its master stops instead of starting the worker again
# and again. Any other entry point just exits non-zero.
EXIT_STATUS = 3


class ConfigurationError(ImproperlyConfigured):
    """An environment variable that is missing or wrong; its message names the variable."""


@contextlib.contextmanager
def configuration_errors_in_one_line() -> Iterator[None]:
    try:
        yield
    except ConfigurationError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr, flush=True)
        raise SystemExit(EXIT_STATUS) from None
