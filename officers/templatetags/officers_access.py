"""``{% if user|may:"view_coverage" %}``: a template asks ``officers.access`` whether to show a link,
so it shows only links the page behind them would open."""

from django import template

from officers import access

register = template.Library()


@register.filter
def may(user, rule: str) -> bool:
    """``access.may_<rule>(user)``; an unknown rule is an error, not a silent False."""
    check = getattr(access, f"may_{rule}", None)
    if check is None:
        raise template.TemplateSyntaxError(f"officers.access has no may_{rule}")
    return bool(user.is_authenticated and check(user))
