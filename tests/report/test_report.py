"""``coopnum report`` without a browser: the files it writes, what each page holds, same bytes twice.

The pages are parsed with the standard library's HTML parser; the browser tests
(``test_report_browser.py``) check the same counts on the rendered pages.
"""

from __future__ import annotations

import re
import shutil
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coopnum.cli import app
from coopnum.dataset.build import build
from coopnum.dataset.plots import PLOTS
from coopnum.errors import BuildError, CorpusError
from coopnum.report.site import write_report

from ..conftest import REPO
from .conftest import PAGE_SIZE, Site, adjudication_records, audit_rules, expected_documents, load, pages


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text inside elements with an id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def elements(path: Path) -> list[tuple[str, dict[str, str]]]:
    parser = Elements()
    parser.feed(load(path))
    return parser.tags


def by_id(path: Path) -> dict[str, tuple[str, dict[str, str]]]:
    return {a["id"]: (t, a) for t, a in elements(path) if "id" in a}


def test_every_document_has_a_page_listed_on_exactly_one_index_page(site: Site) -> None:
    docs = expected_documents()
    assert site.result.documents == len(docs)
    assert sorted(p.stem for p in (site.out / "docs").glob("*.html")) == sorted(d.id for d in docs)
    index_pages = sorted(site.out.glob("index*.html"))
    assert len(index_pages) == -(-len(docs) // PAGE_SIZE)
    listed = [
        a["href"] for p in index_pages for t, a in elements(p) if t == "a" and a.get("href", "").startswith("docs/")
    ]
    assert sorted(listed) == sorted(f"docs/{d.id}.html" for d in docs)


def test_a_document_page_highlights_each_gold_entity_and_strikes_each_removed_line(site: Site) -> None:
    rules = audit_rules()
    for doc in expected_documents():
        tags = elements(site.out / "docs" / f"{doc.id}.html")
        marks = sorted(
            tuple(int(x) for x in a["id"][1:].split("-")) for t, a in tags if t == "mark" and "ent" in a["class"]
        )
        assert marks == doc.gold_entities, doc.id
        assert sum(t == "del" for t in (t for t, _ in tags)) == doc.removed_lines == len(rules[doc.id])
        assert all(a.get("tabindex") == "0" for t, a in tags if t == "mark"), "entities reachable by keyboard"
        paragraphs = [a["id"] for t, a in tags if t == "div" and "par" in a.get("class", "").split()]
        assert paragraphs == [f"p{i}" for i in range(len(doc.paragraphs))]


def test_each_removed_line_is_labelled_with_its_rule(site: Site) -> None:
    for doc_id, rules in audit_rules().items():
        html = load(site.out / "docs" / f"{doc_id}.html")
        shown = re.findall(r'</del><span class="rule">([^<]*)</span>', html)
        assert shown == [r or "removed" for r in rules], doc_id


def test_the_entity_label_is_written_in_the_mark(site: Site) -> None:
    doc = expected_documents()[0]
    html = load(site.out / "docs" / f"{doc.id}.html")
    s, e = doc.gold_entities[0]
    m = re.search(rf'<mark class="ent ent-(\w+)[^"]*" id="e{s}-{e}" tabindex="0">(.*?)</mark>', html)
    assert m is not None
    assert m.group(2).endswith(f'<span class="lbl">{m.group(1)}</span>'), "the label reads without hover"


def test_findings_link_to_their_places(site: Site) -> None:
    planted = site.planted
    page = site.out / "docs" / f"{planted.document}.html"
    ids = by_id(page)
    links = [a["href"] for t, a in elements(page) if t == "a" and "href" in a]
    entity, flagged = "e{}-{}".format(*planted.entity), "f{}-{}".format(*planted.flagged)
    assert f"#{entity}" in links and "has-finding" in ids[entity][1]["class"]
    assert f"#{flagged}" in links and ids[flagged][0] == "span" and ids[flagged][1]["class"] == "flag"
    assert "#p0" in links
    findings_page = load(site.out / "findings.html")
    assert f'href="docs/{planted.document}.html#{entity}"' in findings_page
    assert f'href="docs/{planted.document}.html#{flagged}"' in findings_page
    assert "<td>corpus</td>" in findings_page  # the finding about no document
    index = load(site.out / "index.html")
    assert 'href="findings.html#c-span_determiner"' in index


def test_every_pass_the_gold_and_each_adjudication_reason_are_side_by_side(site: Site) -> None:
    records = adjudication_records()
    assert records, "the repository's annotations record adjudication reasons"
    for r in records:
        page = site.out / "docs" / f"{r['doc_id']}.html"
        row = by_id(page)[f"d-{r['layer']}-{r['key']}"]
        disagree = len(set(r["passes"].values())) > 1
        assert ("disagree" in row[1].get("class", "")) == disagree, r
        html = load(page)
        row_html = html.split(f'id="d-{r["layer"]}-{r["key"]}"', 1)[1].split("</tr>", 1)[0]
        assert escape(r["reason"], quote=True) in row_html
        for annotator in r["passes"]:
            assert annotator in html


def test_the_index_shows_every_plot_and_the_files_are_svg(site: Site) -> None:
    index = load(site.out / "index.html")
    for name in PLOTS:
        assert f'src="plots/{name}"' in index
        assert (site.out / "plots" / name).read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_nothing_is_fetched_from_elsewhere(site: Site) -> None:
    for page in pages(site.out):
        tags = elements(page)
        assert not [t for t, _ in tags if t in ("script", "iframe", "object", "embed")], page
        for tag, a in tags:
            for attr in ("src", "href"):
                value = a.get(attr, "")
                if tag == "a" and attr == "href":
                    continue  # a link is followed only when a reader clicks it
                assert not re.match(r"[a-z]+:", value) or value.startswith("data:"), (page, tag, value)
    css = (site.out / "assets" / "report.css").read_text(encoding="utf-8")
    assert "url(" not in css and "@import" not in css


def test_the_same_inputs_give_the_same_bytes(site: Site, tmp_path: Path) -> None:
    again = tmp_path / "again"
    write_report(REPO, again, site.planted.path, page_size=PAGE_SIZE, processes=1)
    first = {p.relative_to(site.out): p.read_bytes() for p in site.out.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_a_folder_that_is_not_a_report_is_not_replaced(tmp_path: Path, site: Site) -> None:
    precious = tmp_path / "notes"
    precious.mkdir()
    (precious / "mine.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(BuildError, match="not a coopnum report"):
        write_report(REPO, precious, site.planted.path)
    assert (precious / "mine.txt").read_text(encoding="utf-8") == "keep me"


def test_the_command_writes_the_site(tmp_path: Path, site: Site) -> None:
    out = tmp_path / "site"
    result = CliRunner().invoke(
        app, ["report", "--root", str(REPO), "--out", str(out), "--findings", str(site.planted.path)]
    )
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output and (out / "index.html").is_file()
    again = CliRunner().invoke(
        app, ["report", "--root", str(REPO), "--out", str(out), "--findings", str(site.planted.path)]
    )
    assert again.exit_code == 0, again.output  # a report folder is replaced


def test_a_findings_file_that_is_not_a_report_stops_with_a_message(tmp_path: Path) -> None:
    bad = tmp_path / "findings.json"
    bad.write_text("{}", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["report", "--root", str(REPO), "--out", str(tmp_path / "s"), "--findings", str(bad)]
    )
    assert result.exit_code == 3
    assert "not a validation report" in result.output


def test_a_raw_file_that_changed_since_the_build_stops_the_report(project: Path, tmp_path: Path, site: Site) -> None:
    shutil.copytree(REPO / "dataset", project / "dataset")
    raw = sorted((project / "corpus" / "raw").iterdir())[0]
    raw.write_text(raw.read_text(encoding="utf-8") + "\nune ligne de plus\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="raw_sha256") as caught:
        write_report(project, tmp_path / "site", site.planted.path)
    assert caught.value.file == str(raw)
    assert not (tmp_path / "site").exists(), "nothing is written"


def test_an_unannotated_build_gives_pages_without_labels(tmp_path: Path) -> None:
    root = tmp_path / "bare"
    shutil.copytree(REPO / "corpus", root / "corpus")
    build(root)
    result = write_report(root, root / "site")
    docs = sorted((root / "site" / "docs").glob("*.html"))
    assert len(docs) == result.documents == len(list((root / "corpus" / "raw").iterdir()))
    for page in docs:
        tags = elements(page)
        assert not [a for t, a in tags if t == "mark"]
        assert "<dd>cleaned</dd>" in load(page)
    assert [p.name for p in (root / "site" / "plots").iterdir()] == ["document_lengths.svg"]


def test_a_document_not_adjudicated_yet_has_no_gold_on_its_page(project: Path) -> None:
    from coopnum.annotation import format as ann

    annotated = sorted(p.stem for p in (project / "annotations" / ann.SUBDIR).glob("*.json"))
    (project / "annotations" / ann.SUBDIR / f"{annotated[0]}.json").unlink()  # back to "cleaned"
    build(project)
    write_report(project, project / "site")
    page = load(project / "site" / "docs" / f"{annotated[0]}.html")
    assert "<dd>cleaned</dd>" in page and "<mark" not in page
    other = load(project / "site" / "docs" / f"{annotated[1]}.html")
    assert "<dd>cleaned</dd>" not in other and "<mark" in other
