"""Markdown written by members, rendered and sanitised: nothing they write can run as code.

markdown-it-py renders CommonMark with raw HTML disabled; nh3 (the Ammonia sanitiser) then keeps
only an allow-list of tags, attributes and URL schemes, so even a parser bug cannot let a script,
an event handler or a `javascript:` link through.
"""

from __future__ import annotations

import html

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable(
    "image"
)

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr",
    "h3", "h4", "h5", "h6",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}


def _demote_headings(html: str) -> str:
    # A member's "# Title" must not compete with the page's own h1/h2.
    for level in (2, 1):
        html = html.replace(f"<h{level}>", "<h3>").replace(f"</h{level}>", "</h3>")
    return html


def render_markdown(text: str | None) -> Markup:
    """Member markdown → safe HTML."""
    if not text:
        return Markup("")
    html = _demote_headings(_md.render(text))
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer ugc",
        strip_comments=True,
    )
    return Markup(clean)  # noqa: S704 - sanitised by nh3 just above


def plain_text(text: str | None) -> str:
    """What a member wrote, as words only (an excerpt in a list): the markdown rendered, then
    every tag dropped."""
    if not text:
        return ""
    return html.unescape(nh3.clean(str(render_markdown(text)), tags=set()))
