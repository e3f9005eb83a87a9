"""``{% remembered "name" part ... %}...{% endremembered %}``: a part of a dashboard page rendered
once and kept (``matchmaking.oversight.cache``) for the parts given, the page's language and
the tallies' count time. The view hands the figures over unevaluated, so a part found in the
cache costs no counting at all."""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from matchmaking.oversight import cache

register = template.Library()


class RememberedNode(template.Node):
    def __init__(self, nodelist: NodeList, name: FilterExpression, parts: list[FilterExpression]):
        self.nodelist = nodelist
        self.name = name
        self.parts = parts

    def render(self, context: template.Context) -> SafeString:
        name = str(self.name.resolve(context))
        parts = (get_language(), *(repr(part.resolve(context)) for part in self.parts))
        return mark_safe(  # noqa: S308 - the template's own output, escaped when it was rendered
            cache.remembered(f"page:{name}", parts, lambda: str(self.nodelist.render(context)))
        )


@register.tag("remembered")
def do_remembered(parser: Parser, token: Token) -> RememberedNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("remembered needs a name")
    nodelist = parser.parse(("endremembered",))
    parser.delete_first_token()
    return RememberedNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]]
    )
