"""What every app's views do the same way: refuse a page the role may not use (asking the app's
``access.may_*`` rule, the one the navigation and the templates ask too), bind a form only on POST,
and turn a rule that a service enforces (a ``ValidationError``) into a form error or a message,
never a 500.

Any app may import this module, the lowest (``district``) included: it imports nothing but Django.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError


def requires(rule: Callable[[Any], bool]):
    """403 unless ``rule(user)`` (an ``<app>.access.may_*`` function) allows the page."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not rule(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        # Kept on the view (and copied outward by every ``wraps``-based decorator above it) so a
        # test can check that the navigation offers a section by the very rule its page enforces.
        wrapped.access_rule = rule
        return wrapped

    return decorator


def posted(request):
    """The submitted data on a POST (even if empty, so the form is bound and validates), else None."""
    return request.POST if request.method == "POST" else None


def errors_to_form(form, error: ValidationError) -> None:
    """Put a service's errors on the form: on the field they name when the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def service_call(request, form, service: Callable[..., Any], **kwargs) -> Any:
    """Call the service and return what it returns, or None when it refuses: its reasons go onto
    ``form``, or (for a button with no form) into the messages shown on the next page."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        if form is None:
            for message in error.messages:
                messages.error(request, message)
        else:
            errors_to_form(form, error)
        return None
