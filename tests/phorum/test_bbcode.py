"""Phorum's BBCode and HTML to Markdown, and the text the checksum compares."""

import pytest

from newsbrief.briefs.rendering import render_body
from newsbrief.phorum import bbcode


@pytest.mark.parametrize(
    ("body", "markdown"),
    [
        ("[b]bold[/b] and [i]it[/i]", "**bold** and *it*"),
        ("[u]under[/u] [color=red]red[/color] [size=5]big[/size]", "under red big"),
        ("[url=http://a.example/x]A [site][/url]", "[A \\[site\\]](http://a.example/x)"),
        ("[url]http://a.example/[/url]", "<http://a.example/>"),
        ("[email]ann@example.org[/email]", "<ann@example.org>"),
        ("[list][*]one[*]two[/list]", "- one\n- two"),
        ("[list=1][*]one[*]two[/list]", "1. one\n2. two"),
        ("[quote=ann]said[/quote]", "> ann wrote:\n>\n> said"),
        ("[quote][quote]inner[/quote]outer[/quote]", "> > inner\n>\n> outer"),
        ("[code]a = [b]1[/b][/code]", "```\na = [b]1[/b]\n```"),
        ("x[hr]y", "x\n\n***\n\ny"),
        ("H[sub]2[/sub]O", "H<sub>2</sub>O"),
        ("[International Cooperation] a title", "[International Cooperation] a title"),
        ("<p>a <b>bold</b> &amp; <a href='http://z.example/'>z</a></p>", "a **bold** & [z](http://z.example/)"),
        ("line<br>next<script>alert(1)</script>", "line\nnext"),
    ],
)  # fmt: skip
def test_to_markdown(body, markdown):
    assert bbcode.to_markdown(body).markdown == markdown


def test_unknown_tags_are_named_and_kept_as_text():
    converted = bbcode.to_markdown("[marquee]hi[/marquee] [blink]x[/blink] [Tag] [b]b[/b]")
    assert converted.unknown == {"marquee", "blink"}
    assert "[marquee]hi[/marquee]" in converted.markdown


def test_what_phorum_showed_and_what_the_brief_shows_compare_equal():
    body = "[b]Taiwan[/b] and [url=http://a.example/]Japan[/url] agree."
    html = render_body(bbcode.to_markdown(body).markdown)
    assert "<strong>Taiwan</strong>" in html and 'href="http://a.example/"' in html
    assert bbcode.normalized(bbcode.shown_text(body)) == "taiwanandjapanagree"
    assert bbcode.normalized("Taiwan and [Japan](/read.php?1,2,3) agree") == "taiwanandjapanagree"
