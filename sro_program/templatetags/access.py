"""``{% if user|may:"district.view_roster" %}``: a template asks the app's access door
(``<app>.access.may_<rule>``) whether to show a link, so it shows only links the page behind them
would open, by the rule that page's view ``requires``.

Rules are found by name at render time, so this project-level library imports no app itself.
"""

from collections.abc import Callable
from functools import cache
from importlib import import_module

from django import template
from django.apps import apps

register = template.Library()


@cache
def _rule(name: str) -> Callable:
    """``"<app label>.<rule>"`` -> ``<app>.access.may_<rule>``; a wrong name is an error, not False."""
    label, _, rule = name.partition(".")
    try:
        module = f"{apps.get_app_config(label).name}.access"
        access = import_module(module)
    except LookupError as error:
        raise template.TemplateSyntaxError(f'"{name}": no app "{label}"') from error
    except ModuleNotFoundError as error:
        if error.name != module:
            raise  # the access module exists but is broken: show that, not a misleading name
        raise template.TemplateSyntaxError(f'"{name}": no access rules for "{label}"') from error
    check = getattr(access, f"may_{rule}", None) if rule else None
    if check is None:
        raise template.TemplateSyntaxError(f'"{name}": {access.__name__} has no may_{rule}')
    return check


@register.filter
def may(user, rule: str) -> bool:
    """Whether ``user`` passes the rule named ``"<app>.<rule>"``; never for someone signed out."""
    check = _rule(rule)
    return bool(user.is_authenticated and check(user))
