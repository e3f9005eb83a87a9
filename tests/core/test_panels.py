"""Page slots: a failing panel is left out, plain text is escaped, safe HTML is kept."""

from django.test import RequestFactory
from django.utils.safestring import mark_safe

from bumdes_export.core.panels import render_panels


def test_panels_render_escape_and_survive_a_failing_one():
    def broken(request, obj):
        raise RuntimeError("boom")

    request = RequestFactory().get("/")
    rendered = render_panels(
        [lambda r, o: "<b>x</b>", broken, lambda r, o: mark_safe("<i>ok</i>"), lambda r, o: ""],
        request,
        object(),
    )
    assert [str(html) for html in rendered] == ["&lt;b&gt;x&lt;/b&gt;", "<i>ok</i>"]
