"""The corpus at a glance: the paged list of documents (stage, outlet, date, counts), the plots
with their numbers, and the validation findings summarised by check and listed, paged, each
linked to its place on its document's page."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from coopnum.dataset.plots import PLOTS, PLOTS_DIR, PlotData
from coopnum.quality.findings import CHECKS
from coopnum.report.html import e, page, page_name, pager, table


@dataclass(frozen=True)
class Summary:
    """What the list shows of one document (returned by the worker that wrote its page)."""

    id: str
    split: str
    title: str | None
    stage: str
    outlet: str | None
    date: str | None
    paragraphs: int
    entities: int
    passes: int
    disagreements: int
    findings: int
    removed_lines: int
    anchors: tuple[str, ...]  # where each of its findings points on its page


def _document_row(n: int, s: Summary) -> str:
    title = f'<span lang="fr">{e(s.title)}</span>' if s.title else '<span class="muted">(no title)</span>'
    cells = [
        f'<td class="num">{n}</td>',
        f'<td><a href="docs/{e(s.id)}.html"><code>{e(s.id)}</code></a><br>{title}</td>',
        f"<td>{e(s.split)}</td>",
        f"<td>{e(s.stage)}</td>",
        f"<td>{e(s.outlet or '—')}</td>",
        f"<td>{e(s.date or '—')}</td>",
        *(
            f'<td class="num">{v}</td>'
            for v in (s.paragraphs, s.entities, s.passes, s.disagreements, s.findings, s.removed_lines)
        ),
    ]
    return "<tr>" + "".join(cells) + "</tr>"


DOCUMENT_HEAD = (
    "#",
    "document",
    "split",
    "stage",
    "outlet",
    "date",
    "paragraphs",
    "gold entities",
    "passes",
    "disagreements",
    "findings",
    "removed lines",
)


def _overview(summaries: Sequence[Summary], findings_source: str) -> str:
    splits = Counter(s.split for s in summaries)
    stages = Counter(s.stage for s in summaries)
    return (
        f"<h1>coopnum: {len(summaries)} documents</h1>\n<p>"
        + ", ".join(f"{n} {e(split)}" for split, n in splits.items())
        + "; "
        + ", ".join(f"{n} {e(stage)}" for stage, n in sorted(stages.items()))
        + f". {sum(s.entities for s in summaries)} gold entities,"
        f" {sum(s.disagreements for s in summaries)} disagreements between passes,"
        f" {sum(s.findings for s in summaries)} validation findings on documents"
        f" (from {e(findings_source)}).</p>"
    )


def _numbers(name: str, data: PlotData) -> str:
    """The plot's figures as a table, for a reader who cannot see the image."""
    if name in ("entity_labels.svg", "topics.svg"):
        per_split = data.entity_labels if name == "entity_labels.svg" else data.topics
        labels = list(next(iter(per_split.values()), {}))
        trs = [
            f"<tr><th scope='row'>{e(label)}</th>"
            + "".join(f'<td class="num">{c.get(label, 0)}</td>' for c in per_split.values())
            + "</tr>"
            for label in labels
        ]
        return table(["label", *map(e, per_split)], trs, "numbers")
    if name == "paragraph_stances.svg":
        bins = len(next(iter(data.stance_positions.values()), []))
        trs = [
            f"<tr><th scope='row'>{e(label)}</th>" + "".join(f'<td class="num">{n}</td>' for n in counts) + "</tr>"
            for label, counts in data.stance_positions.items()
        ]
        head = ["stance", *(f"{100 * i // bins}–{100 * (i + 1) // bins} %" for i in range(bins))]
        return table(head, trs, "numbers")
    if name == "document_lengths.svg" and data.lengths:
        n = len(data.lengths)
        qs = [("shortest", data.lengths[0]), ("median", data.lengths[n // 2]), ("longest", data.lengths[-1])]
        return table(
            ["", "characters"], [f'<tr><th scope="row">{k}</th><td class="num">{v}</td></tr>' for k, v in qs], "numbers"
        )
    return "<p>See <code>dataset/agreement.json</code> for every figure.</p>"


WIDE = {"agreement.svg": " wide"}  # two panels: the whole width


def _plots(names: Sequence[str], data: PlotData) -> str:
    figures = [
        f'<figure class="plot{WIDE.get(name, "")}"><img src="{PLOTS_DIR}/{name}" alt="{e(PLOTS[name])}">'
        f"<figcaption>{e(PLOTS[name])}</figcaption>"
        f"<details><summary>the numbers</summary>{_numbers(name, data)}</details></figure>"
        for name in names
    ]
    return (
        '<section aria-labelledby="plots-h"><h2 id="plots-h">Plots</h2><div class="plots">'
        + "".join(figures)
        + "</div></section>"
    )


def _findings_summary(findings: Sequence[Mapping[str, Any]], source: str) -> str:
    counts = Counter((f.get("check"), f.get("severity")) for f in findings)
    first_page: dict[object, int] = {}
    for i, f in enumerate(findings):
        first_page.setdefault(f.get("check"), i // FINDINGS_PER_PAGE + 1)
    trs = [
        f'<tr><td><a href="{page_name("findings", first_page[check])}#c-{e(check)}">{e(check)}</a></td>'
        f'<td><span class="sev sev-{e(sev)}">{e(sev)}</span></td><td class="num">{n}</td>'
        f"<td>{e(CHECKS.get(str(check), ('', ''))[1])}</td></tr>"
        for (check, sev), n in sorted(counts.items(), key=lambda kv: (str(kv[0][1]), str(kv[0][0])))
    ]
    errors = sum(f.get("severity") == "error" for f in findings)
    intro = f"<p>{errors} error(s), {len(findings) - errors} warning(s) from {e(source)}.</p>"
    body = table(["check", "severity", "findings", "what it checks"], trs, "Findings by check") if trs else ""
    return f'<section aria-labelledby="val-h"><h2 id="val-h">Validation findings</h2>{intro}{body}</section>'


def index_pages(
    summaries: Sequence[Summary],
    plot_names: Sequence[str],
    data: PlotData,
    findings: Sequence[Mapping[str, Any]],
    source: str,
    page_size: int,
) -> dict[str, str]:
    """File name -> HTML of each page of the list (the first also has the overview, plots and findings)."""
    pages = max(1, -(-len(summaries) // page_size))
    out = {}
    for number in range(1, pages + 1):
        chunk = summaries[(number - 1) * page_size : number * page_size]
        rows = [_document_row((number - 1) * page_size + i + 1, s) for i, s in enumerate(chunk)]
        # two pagers, above and below the list: each landmark needs a name of its own
        nav, nav_below = (pager("index", number, pages, f"Pages of the document list{w}") for w in ("", ", below"))
        parts = [_overview(summaries, source)] if number == 1 else [f"<h1>Documents, page {number}</h1>"]
        if number == 1:
            parts += [_plots(plot_names, data), _findings_summary(findings, source)]
        parts += [
            '<section aria-labelledby="docs-h"><h2 id="docs-h">Documents</h2>',
            nav,
            table(
                DOCUMENT_HEAD, rows, f"Documents {(number - 1) * page_size + 1}–{(number - 1) * page_size + len(chunk)}"
            ),
            nav_below,
            "</section>",
        ]
        out[page_name("index", number)] = page(
            "coopnum report" if number == 1 else f"Documents, page {number}", "\n".join(parts)
        )
    return out


FINDINGS_PER_PAGE = 500


def findings_pages(findings: Sequence[Mapping[str, Any]], anchors: Mapping[int, str]) -> dict[str, str]:
    """File name -> HTML of each page of the findings list; ``anchors`` maps a finding's index to its
    place (``docs/<id>.html#...``), absent for a finding about no document."""
    pages = max(1, -(-len(findings) // FINDINGS_PER_PAGE))
    out = {}
    for number in range(1, pages + 1):
        start = (number - 1) * FINDINGS_PER_PAGE
        rows, seen = [], set()
        for i, f in enumerate(findings[start : start + FINDINGS_PER_PAGE], start=start):
            check = str(f.get("check"))
            row_id = f' id="c-{e(check)}"' if check not in seen else ""
            seen.add(check)
            where = f'<a href="{e(anchors[i])}"><code>{e(f.get("document"))}</code></a>' if i in anchors else "corpus"
            rows.append(
                f"<tr{row_id}><td>{e(check)}</td><td><span class='sev sev-{e(f.get('severity'))}'>"
                f"{e(f.get('severity'))}</span></td><td>{where}</td><td>{e(f.get('annotation') or '')}</td>"
                f"<td>{e(f.get('field') or '')}</td><td>{e(f.get('message'))}</td></tr>"
            )
        nav, nav_below = (pager("findings", number, pages, f"Pages of the findings{w}") for w in ("", ", below"))
        body = "\n".join(
            [
                f"<h1>Validation findings{f', page {number}' if number > 1 else ''}</h1>",
                f"<p>{len(findings)} finding(s) in all.</p>",
                nav,
                table(["check", "severity", "document", "annotation", "field", "message"], rows, "Findings")
                if rows
                else "<p>No findings.</p>",
                nav_below,
            ]
        )
        out[page_name("findings", number)] = page("Validation findings", body)
    return out
