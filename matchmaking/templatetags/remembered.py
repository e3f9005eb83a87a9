"""``{% remembered "name" part ... %}...{% endremembered %}``: a part of a dashboard page rendered
once and kept (``matchmaking.oversight.cache``) for the parts given, the page's language and
the tallies' count time (the context's ``generation``, read once per request). The view hands
the figures over unevaluated, so a part found in the cache costs no counting at all. A part
whose figures change without an event (facilitation) is kept for ``FRESH_SECONDS`` only: its
name starts with ``fresh:``."""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from matchmaking.oversight import cache

register = template.Library()

#: How long a part whose figures change without an event is kept.
FRESH_SECONDS = 60


class RememberedNode(template.Node):
    def __init__(self, nodelist: NodeList, name: FilterExpression, parts: list[FilterExpression]):
        self.nodelist = nodelist
        self.name = name
        self.parts = parts

    def render(self, context: template.Context) -> SafeString:
        name = str(self.name.resolve(context))
        parts = (get_language(), *(repr(part.resolve(context)) for part in self.parts))
        seconds = FRESH_SECONDS if name.startswith("fresh:") else cache.SECONDS
        kept = cache.remembered(
            f"page:{name}",
            parts,
            lambda: str(self.nodelist.render(context)),
            seconds=seconds,
            kept_for=context.get("generation"),
        )
        return mark_safe(kept)  # noqa: S308 - the template's own output, escaped when rendered


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
