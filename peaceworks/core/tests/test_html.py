from django.template import Context, Template

from peaceworks.core.html import sanitise_html


def test_scripts_handlers_and_javascript_links_are_removed():
    dirty = (
        '<p onclick="steal()">Hi <script>alert(1)</script><a href="javascript:x()">x</a>'
        '<a href="https://ivs.example.org">ok</a><img src=x onerror=alert(1)></p>'
    )
    clean = sanitise_html(dirty)
    assert "script" not in clean
    assert "onclick" not in clean
    assert "onerror" not in clean
    assert "javascript:" not in clean
    assert "<img" not in clean
    assert 'href="https://ivs.example.org"' in clean
    assert "noopener" in clean


def test_template_filter_keeps_formatting_only():
    rendered = Template("{% load safe_html %}{{ text|sanitised }}").render(
        Context({"text": "<strong>peace</strong><style>body{}</style>"})
    )
    assert rendered == "<strong>peace</strong>"
