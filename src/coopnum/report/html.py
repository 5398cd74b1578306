"""The pieces every page shares: escaping, the page shell, the pager and the one stylesheet.

Pages are plain HTML5 with one relative stylesheet: no script, no font or image from elsewhere,
so a page reads the same from ``file://`` as from a server. Colours come from
:mod:`coopnum.dataset.plots`, so a label has one colour in the plots and on the pages; text on a
coloured fill is dark and stance colours on white keep a contrast of at least 4.5:1 (WCAG AA).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from html import escape

from coopnum.dataset.plots import ENTITY_COLOURS, STANCE_COLOURS

STYLESHEET = "assets/report.css"
DEFAULT_ENTITY_COLOUR = "#dddddd"
DEFAULT_STANCE_COLOUR = "#6b6b6b"


def e(value: object) -> str:
    """Text for an element or an attribute value."""
    return escape("" if value is None else str(value), quote=True)


def css_name(label: str) -> str:
    """A label as a class-name suffix (labels are short upper-case words; anything else is replaced)."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", label)


def entity_class(label: str) -> str:
    return f"ent ent-{css_name(label)}"


def stance_class(label: str | None) -> str:
    return f"st-{css_name(label or 'unset')}"


def page(title: str, body: str, prefix: str = "", nav: str = "") -> str:
    """One page: ``prefix`` leads back to the site's root (``"../"`` from ``docs/``)."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<link rel="icon" href="data:,">\n'  # no favicon request: nothing is fetched that is not here
        f"<title>{e(title)}</title>\n"
        f'<link rel="stylesheet" href="{prefix}{STYLESHEET}">\n</head>\n<body>\n'
        '<a class="skip" href="#main">Skip to the content</a>\n'
        f'<header><nav aria-label="Site"><a href="{prefix}index.html">coopnum report</a>'
        f' · <a href="{prefix}findings.html">validation findings</a>{nav}</nav></header>\n'
        f'<main id="main">\n{body}\n</main>\n'
        "<footer>Written by <code>coopnum report</code> from the built <code>dataset/</code> and"
        " <code>annotations/</code>.</footer>\n</body>\n</html>\n"
    )


def table(head: Sequence[str], rows: Iterable[str], caption: str, cls: str = "") -> str:
    """A table whose rows are already ``<tr>`` strings."""
    ths = "".join(f'<th scope="col">{h}</th>' for h in head)
    klass = f' class="{cls}"' if cls else ""
    return (
        f"<table{klass}>\n<caption>{caption}</caption>\n<thead><tr>{ths}</tr></thead>\n<tbody>\n"
        + "\n".join(rows)
        + "\n</tbody>\n</table>"
    )


def page_name(stem: str, number: int) -> str:
    """``index.html``, ``index-2.html``, ...: page 1 keeps the plain name."""
    return f"{stem}.html" if number == 1 else f"{stem}-{number}.html"


def pager(stem: str, number: int, pages: int, label: str) -> str:
    """Links to the first, previous, nearby, next and last pages (a window, so 1,000 pages stay short)."""
    if pages <= 1:
        return ""
    shown = sorted({1, pages, *range(max(1, number - 3), min(pages, number + 3) + 1)})
    parts = []
    if number > 1:
        parts.append(f'<a href="{page_name(stem, number - 1)}" rel="prev">previous</a>')
    last = 0
    for n in shown:
        if n > last + 1:
            parts.append("<span>…</span>")
        if n == number:
            parts.append(f'<a href="{page_name(stem, n)}" aria-current="page">{n}</a>')
        else:
            parts.append(f'<a href="{page_name(stem, n)}">{n}</a>')
        last = n
    if number < pages:
        parts.append(f'<a href="{page_name(stem, number + 1)}" rel="next">next</a>')
    return f'<nav class="pager" aria-label="{e(label)}">Page {number} of {pages}: ' + " ".join(parts) + "</nav>"


def legend(entity_labels: Sequence[str], stance_labels: Sequence[str]) -> str:
    ents = " ".join(f'<span class="{entity_class(x)}">{e(x)}</span>' for x in entity_labels)
    stances = " ".join(f'<span class="stance-key {stance_class(x)}">{e(x)}</span>' for x in stance_labels)
    return (
        '<div class="legend"><p><strong>Entity labels:</strong> '
        + ents
        + "</p><p><strong>Paragraph stance (left margin):</strong> "
        + stances
        + "</p></div>"
    )


def stylesheet(entity_labels: Sequence[str], stance_labels: Sequence[str]) -> str:
    """The site's CSS, with a rule per label of the build."""
    rules = [BASE_CSS]
    for label in entity_labels:
        colour = ENTITY_COLOURS.get(label, DEFAULT_ENTITY_COLOUR)
        rules.append(f".ent-{css_name(label)} {{ background: {colour}; }}")
    for label in stance_labels:
        colour = STANCE_COLOURS.get(label, DEFAULT_STANCE_COLOUR)
        rules.append(f".par.{stance_class(label)} {{ border-left-color: {colour}; }}")
        rules.append(f".{stance_class(label)} .ptag, .stance-key.{stance_class(label)} {{ color: {colour}; }}")
        rules.append(f".badge.{stance_class(label)} {{ background: {colour}; color: #fff; }}")
    return "\n".join(rules) + "\n"


BASE_CSS = """\
:root { color: #1a1a1a; background: #fff; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
body { margin: 0 auto; max-width: 78rem; padding: 0 1rem 2rem; }
a { color: #0b5cad; }
a:focus-visible, .ent:focus-visible, .flag:focus-visible { outline: 3px solid #0b5cad; outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: 0.5rem; z-index: 1; }
header { border-bottom: 1px solid #ccc; padding: 0.6rem 0; }
footer { border-top: 1px solid #ccc; margin-top: 2rem; padding-top: 0.5rem; color: #555; font-size: 0.85rem; }
h1 { font-size: 1.6rem; margin: 1rem 0 0.5rem; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #e3e3e3; }
code { font-size: 0.9em; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.9rem; }
caption { text-align: left; font-weight: 600; padding: 0.3rem 0; }
th, td { border: 1px solid #d0d0d0; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
thead th { background: #f2f2f2; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 1rem; margin: 0.5rem 0; }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
.badge { display: inline-block; border-radius: 0.3rem; padding: 0 0.4rem; font-weight: 600; }
.topic { display: inline-block; border: 1px solid #888; border-radius: 1rem; padding: 0 0.6rem; margin: 0.1rem; }
.pager { margin: 0.8rem 0; }
.pager a, .pager span { padding: 0 0.25rem; }
.pager a[aria-current] { font-weight: 700; color: #1a1a1a; text-decoration: none; }
figure.plot { margin: 1rem 0; }
figure.plot.wide { grid-column: 1 / -1; }
figure.plot img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: 0.9rem; color: #444; }
.plots { display: grid; grid-template-columns: repeat(auto-fit, minmax(28rem, 1fr)); gap: 0 1.5rem; }
.legend p { margin: 0.3rem 0; }
.stance-key { font-weight: 700; margin-right: 0.6rem; }
.columns { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1.5rem; }
@media (max-width: 60rem) { .columns { grid-template-columns: 1fr; } }
.par { display: grid; grid-template-columns: 4.2rem 1fr; border-left: 0.45rem solid #ccc; margin: 0.6rem 0;
  padding-left: 0.5rem; }
.par .ptag { font-size: 0.75rem; font-weight: 700; line-height: 1.3; padding-top: 0.35rem; }
.par p { margin: 0; line-height: 2.1; }
.kind-title p { font-weight: 700; font-size: 1.05rem; }
.kind-question p { font-style: italic; }
.ent { padding: 0.15em 0.35em; margin: 0 0.1em; border-radius: 0.35em; line-height: 1;
  box-decoration-break: clone; -webkit-box-decoration-break: clone; }
.ent .lbl { font-size: 0.62em; font-weight: 700; text-transform: uppercase; margin-left: 0.4em;
  vertical-align: middle; letter-spacing: 0.02em; }
.ent.has-finding, .flag { outline: 2px dashed #a4161a; outline-offset: 1px; }
.flag { border-radius: 0.2em; }
ol.raw { font: 0.8rem/1.45 ui-monospace, "DejaVu Sans Mono", monospace; padding-left: 3.2rem; margin: 0; }
ol.raw li { white-space: pre-wrap; overflow-wrap: anywhere; padding: 0.05rem 0; }
ol.raw li.a-removed { background: #f6f6f6; }
ol.raw del, ol.raw s { color: #555; text-decoration-thickness: 1px; }
.rule { display: inline-block; font: 600 0.7rem system-ui, sans-serif; background: #6a1b9a; color: #fff;
  border-radius: 0.25rem; padding: 0 0.3rem; margin-left: 0.4rem; white-space: nowrap; }
a.to-clean { font: 0.7rem system-ui, sans-serif; margin-left: 0.4rem; }
tr.disagree td { background: #fff4cc; }
td.differs { font-weight: 700; box-shadow: inset 0 0 0 2px #a4161a; }
td.reason { max-width: 34rem; font-size: 0.85rem; }
ul.findings li { margin: 0.2rem 0; }
.sev { font-weight: 700; }
.sev-error { color: #a4161a; }
.sev-warning { color: #7a4b00; }
.muted { color: #555; }"""
