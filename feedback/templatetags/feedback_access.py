"""``{% if user|feedback_may:"manage_feedback" %}``: a template asks ``feedback.access`` whether to
show a link, so it shows only links the page behind them would open."""

from django import template

from feedback import access

register = template.Library()


@register.filter
def feedback_may(user, rule: str) -> bool:
    """``access.may_<rule>(user)``; an unknown rule is an error, not a silent False."""
    check = getattr(access, f"may_{rule}", None)
    if check is None:
        raise template.TemplateSyntaxError(f"feedback.access has no may_{rule}")
    return bool(user.is_authenticated and check(user))
