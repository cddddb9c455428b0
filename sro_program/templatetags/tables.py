"""The scrolling region every wide table sits in, so its markup lives in one include.

    {% load tables %}
    {% scrolltable "Scores from" card.panelist.user %}
      <table class="table">...</table>
    {% endscrolltable %}

The label's parts (strings or variables) are joined with spaces. Django's ``include`` cannot wrap
content, hence a block tag that renders ``includes/table_scroll.html`` around the table.
"""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

TEMPLATE = "includes/table_scroll.html"


class ScrollTableNode(template.Node):
    def __init__(self, label_parts: list[template.base.FilterExpression], nodelist: template.NodeList):
        self.label_parts = label_parts
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        label = " ".join(str(part.resolve(context)) for part in self.label_parts)
        # The table is template output, escaped as it was rendered; the label is escaped by the include.
        table = mark_safe(self.nodelist.render(context))
        wrapper = context.template.engine.get_template(TEMPLATE)
        with context.push(label=label, table=table):
            return wrapper.render(context)


@register.tag
def scrolltable(parser: template.base.Parser, token: template.base.Token) -> ScrollTableNode:
    """``{% scrolltable label... %}<table>...</table>{% endscrolltable %}``: the label names the region."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{bits[0]} needs a label that names the scrolling region.")
    nodelist = parser.parse(("endscrolltable",))
    parser.delete_first_token()
    return ScrollTableNode([parser.compile_filter(bit) for bit in bits[1:]], nodelist)
