"""Two annotators in Debian's chromium, from Label Studio's label stream, on a real server.

Each annotator signs up (invite link), logs in and opens the label stream: both
get the same task (two annotations per task), neither sees the other's regions
or choices. The first labels "Algérie" in "l'Algérie" without the article
(selections are exact to the character); the pull gets that span, names both new
annotators and registers them in ``annotations/annotators.json``. Then the
longest article of the corpus is labelled to the end by clicks and keys, and
every click and keystroke is counted.
"""

from __future__ import annotations

import json
import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from coopnum import schema
from coopnum.annotation import format as ann
from coopnum.cli import app
from coopnum.dataset.build import clean_corpus
from coopnum.labelstudio import sync as lssync

from ..lshelpers import CHROMIUM, REPO, RunningServer, document, require
from .test_ls_browser import CHROMIUM_ARGS, UI_TIMEOUT_MS, label, log_in, sign_up

if TYPE_CHECKING:
    from collections.abc import Sequence

    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.labelstudio  # a real server and chromium

ELISION = document("00000000000e1150", ["L'Algérie et la Russie", "Il part pour l'Algérie demain.", "Fin."])
COUNTS: dict[str, dict[str, int]] = {}  # what the annotators did, printed at the end

RANGE_OF = """([word, inside]) => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const i = n.data.indexOf(word);
    if (i >= 0 && n.data.includes(inside) && n.parentElement.offsetParent !== null) {
      n.parentElement.scrollIntoView({block: "center"});
      const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1); const a = r.getBoundingClientRect();
      r.setStart(n, i + word.length - 1); r.setEnd(n, i + word.length); const b = r.getBoundingClientRect();
      return {x1: a.left + 1, x2: b.right - 1, y: a.top + a.height / 2};
    }
  }
  return null;
}"""


@dataclass
class Annotator:
    """A logged-in annotator's page, counting what the person would do: clicks, drags, keystrokes."""

    page: Page
    clicks: int = 0
    drags: int = 0
    keys: int = 0
    log: list[str] = field(default_factory=list)

    def click(self, what: str, n: int = 0) -> None:
        label(self.page, what).nth(n).click()
        self.clicks += 1

    def key(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.keys += 1

    def select(self, word: str, inside: str) -> None:
        """Drag over ``word`` exactly (in the paragraph that contains ``inside``)."""
        box = self.page.evaluate(RANGE_OF, [word, inside])
        assert box is not None, f"{word!r} is not on the page"
        self.page.mouse.move(box["x1"], box["y"])
        self.page.mouse.down()
        self.page.mouse.move(box["x2"], box["y"], steps=4)
        self.page.mouse.up()
        self.drags += 1

    def submit(self) -> None:
        from playwright.sync_api import expect

        button = self.page.get_by_test_id("bottombar-submit-button")
        expect(button).to_be_enabled(timeout=UI_TIMEOUT_MS)
        with self.page.expect_response(
            lambda r: r.request.method == "POST" and "/annotations" in r.url, timeout=UI_TIMEOUT_MS
        ) as posted:
            button.click()
        self.clicks += 1
        assert posted.value.ok, f"submit answered HTTP {posted.value.status}"

    def counts(self) -> dict[str, int]:
        return {"clicks": self.clicks, "drags": self.drags, "keystrokes": self.keys}


def open_stream(browser: Browser, server: RunningServer, pid: int, email: str, password: str, shown: str) -> Annotator:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(UI_TIMEOUT_MS)
    log_in(page, server.url, email, password)
    page.goto(f"{server.url}/projects/{pid}/data?labeling=1")  # "Label All Tasks": the label stream
    page.get_by_text(shown).first.wait_for()
    from playwright.sync_api import expect

    expect(label(page, "NONE")).to_have_count(len(ELISION.paragraphs) + 1, timeout=UI_TIMEOUT_MS)
    who = Annotator(page)
    close_instructions(who)
    return who


def close_instructions(who: Annotator) -> None:
    """The stream opens on the instructions: the full guidelines, rendered; Escape closes them."""
    from playwright.sync_api import expect

    heading = who.page.get_by_role("heading", name="coopnum annotation guidelines")
    expect(heading).to_be_visible(timeout=UI_TIMEOUT_MS)
    who.key("Escape")
    expect(heading).to_be_hidden(timeout=UI_TIMEOUT_MS)


def nothing_of_anyone_else(page: Page) -> None:
    """No region, no chosen stance or topic, one annotation tab: the stream shows the annotator's own work only."""
    assert page.locator(".htx-highlight").count() == 0, "another annotator's regions are visible"
    checked = page.evaluate("Array.from(document.querySelectorAll('input')).filter(e => e.name && e.checked).length")
    assert checked == 0, "another annotator's choices are visible"


def stances_and_submit(who: Annotator, n: int, stance: str, topic: str) -> None:
    for i in range(n):
        who.click(stance, i)
    who.click(stance, n)  # the document's stance, after the text
    who.click(topic)
    who.submit()


def test_two_annotators_label_the_same_task_from_the_stream_without_seeing_each_other(
    ls_server: RunningServer, tmp_path: Path
) -> None:
    require(CHROMIUM.is_file(), f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    title = f"team-{secrets.token_hex(3)}"
    guidelines = (REPO / "annotations" / "GUIDELINES.md").read_text(encoding="utf-8")
    lssync.push(ls_server.client(), [ELISION], title, None, None, guidelines=guidelines)
    client = ls_server.client()
    project = client.project(title)
    assert (project.maximum_annotations, project.show_annotation_history, project.show_skip_button) == (2, False, False)
    assert "Named entities" in (project.expert_instruction or "")  # the full guidelines, one click away
    pid = project.id
    people = [(f"ann-{k}-{secrets.token_hex(3)}@coopnum.invalid", secrets.token_urlsafe(12)) for k in "ab"]
    for email, password in people:
        sign_up(ls_server, email, password)
    n = len(ELISION.paragraphs)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            a = open_stream(browser, ls_server, pid, *people[0], "demain")
            nothing_of_anyone_else(a.page)
            a.key("l")  # LOC, in every paragraph at once: the selection decides which
            a.select("Algérie", "demain")
            expect(a.page.locator(".htx-highlight", has_text="Algérie")).to_have_count(1, timeout=UI_TIMEOUT_MS)
            stances_and_submit(a, n, "NONE", "international_relations")
            COUNTS["3-paragraph task, annotator A"] = a.counts()

            b = open_stream(browser, ls_server, pid, *people[1], "demain")  # the same task: it needs 2
            nothing_of_anyone_else(b.page)
            b.key("o")
            b.select("Russie", "Algérie et")
            stances_and_submit(b, n, "FAVOR", "digital_economy")
            COUNTS["3-paragraph task, annotator B"] = b.counts()
        finally:
            browser.close()

    root = tmp_path / "root"
    (root / "annotations").mkdir(parents=True)
    shutil.copy(REPO / "annotations" / "annotators.json", root / "annotations" / "annotators.json")
    env = {**ls_server.env(), "COOPNUM_LS_ANNOTATOR_MAP": str(tmp_path / "map.json")}
    result = CliRunner().invoke(
        app, ["ls", "pull", "--root", str(root), "--project", title, "--kind", "person"], env=env
    )
    assert result.exit_code == 0, result.output
    got = ann.load_all(root / "annotations")[ELISION.doc_id].annotations
    assert len(got) == 2 and len({x.annotator for x in got}) == 2
    algerie = ELISION.text.index("Algérie demain")
    russie = ELISION.text.index("Russie")
    assert sorted(s for x in got for s in x.entities) == sorted(
        [ann.Span(algerie, algerie + 7, "LOC", "Algérie"), ann.Span(russie, russie + 6, "ORG", "Russie")]
    )  # "Algérie" without "l'": the elided article stays out of the span
    described = json.loads((root / "annotations" / "annotators.json").read_text())["annotators"]
    for x in got:
        assert f"new annotator {x.annotator} registered" in result.output
        assert {"id": x.annotator, "role": "annotator", "kind": "person"}.items() <= next(
            d for d in described if d["id"] == x.annotator
        ).items()
    assert "@" not in (root / "annotations" / "annotators.json").read_text()  # pseudonyms only


FOCUSED_STANCE = """() => {
  const boxes = Array.from(document.querySelectorAll('input[type=checkbox]'));
  const i = boxes.indexOf(document.activeElement);
  return i < 0 ? null : [i, document.activeElement.name];
}"""


def stances_by_keyboard(who: Annotator, stances: Sequence[str]) -> None:
    """Every paragraph's stance from the keyboard: Tab (Shift+Tab back) moves through the stance boxes,
    paragraph after paragraph, Space checks the focused one. One click starts it on paragraph 1."""
    values = list(schema.STANCE_LABELS)
    who.click(stances[0], 0)  # the first paragraph's stance by mouse: the keyboard goes on from there
    for i, stance in enumerate(stances[1:], start=1):
        target = len(values) * i + values.index(stance)  # the boxes are paragraph after paragraph, in schema order
        for _ in range(2 * len(values) + 1):  # at most: back on the box just checked, then two paragraphs' boxes
            who.key("Tab")
            if who.page.evaluate(FOCUSED_STANCE) == [target, stance]:
                break
        assert who.page.evaluate(FOCUSED_STANCE) == [target, stance], f"Tab does not reach paragraph {i + 1}"
        who.key("Space")


def chosen_stances(task: dict[str, object], annotation: int) -> dict[int, str]:
    result = task["annotations"][annotation]["result"]  # type: ignore[index]
    return {
        int(r["from_name"].split("_")[1]): r["value"]["choices"][0]
        for r in result
        if r["from_name"].startswith("pstance_")
    }


def test_the_longest_article_labelled_to_the_end_by_clicks_and_by_keyboard(
    ls_server: RunningServer, tmp_path: Path
) -> None:
    """The longest article, twice: by clicks (every paragraph's stance, the document's stance, a topic, one
    entity by its hotkey in the last paragraph, the hotkey that once stopped at paragraph 3), and by the
    keyboard (Tab between the paragraphs' stance boxes, Space to check, the gold's stances). Both counted."""
    require(CHROMIUM.is_file(), f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    longest = max((d.clean for d in clean_corpus(REPO / "corpus")), key=lambda d: len(d.paragraphs))
    n = len(longest.paragraphs)
    gold = next((a for a in ann.load_all(REPO / "annotations")[longest.doc_id].annotations if a.ground_truth), None)
    stances = [s or "NONE" for s in gold.paragraph_stances] if gold else ["NONE"] * n
    title = f"long-{secrets.token_hex(3)}"
    guidelines = (REPO / "annotations" / "GUIDELINES.md").read_text(encoding="utf-8")
    lssync.push(ls_server.client(), [longest], title, None, None, guidelines=guidelines)
    pid = ls_server.client().project(title).id
    people = [(f"long-{k}-{secrets.token_hex(3)}@coopnum.invalid", secrets.token_urlsafe(12)) for k in "ab"]
    for email, password in people:
        sign_up(ls_server, email, password)
    last = longest.text[longest.paragraphs[-1].start : longest.paragraphs[-1].end]
    word = next(w.strip(".,;:«»()") for w in last.split() if w[:1].isupper() and len(w) > 3)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            routes = {}
            for k, (email, password) in enumerate(people):
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.set_default_timeout(UI_TIMEOUT_MS)
                log_in(page, ls_server.url, email, password)
                page.goto(f"{ls_server.url}/projects/{pid}/data?labeling=1")
                expect(label(page, "NONE")).to_have_count(n + 1, timeout=UI_TIMEOUT_MS)
                expect(page.get_by_text(f"¶ {n} of {n}")).to_have_count(1)  # paragraphs numbered from 1
                expect(page.get_by_text(f"¶ {n}: no stance yet")).to_be_visible()
                who = Annotator(page)
                close_instructions(who)
                who.key("m")
                who.select(word, last[:30])
                expect(page.locator(".htx-highlight", has_text=word)).to_have_count(1, timeout=UI_TIMEOUT_MS)
                if k == 0:
                    for i in range(n):
                        who.click(stances[i], i)
                    routes[f"{n}-paragraph article by clicks, 1 entity"] = who
                else:
                    stances_by_keyboard(who, stances)
                    routes[f"{n}-paragraph article by keyboard, 1 entity"] = who
                who.click(gold.stance if gold and gold.stance else "NONE", n)  # the document's stance, after the text
                who.click("digital_economy")
                who.submit()
                page.close()
        finally:
            browser.close()
    task = ls_server.client().tasks(pid)[0]
    assert len(task["annotations"]) == 2
    for a in task["annotations"]:
        entity = [r for r in a["result"] if r["type"] == "labels"]
        assert [(r["from_name"], r["value"]["text"], r["value"]["labels"]) for r in entity] == [
            (f"ner_{n - 1}", word, ["MISC"])
        ]  # the same key labels in the last paragraph too
    for k in range(2):
        assert chosen_stances(task, k) == dict(enumerate(stances))  # each box checked is its own paragraph's
    clicks, keyboard = routes.values()
    assert clicks.counts() == {"clicks": n + 3, "drags": 1, "keystrokes": 2}  # Escape (instructions) and m
    assert keyboard.clicks == 4 and keyboard.keys > 2 * (n - 1)  # a Tab and a Space at least per paragraph
    for name, who in routes.items():
        COUNTS[name] = who.counts()
    print(f"\nannotator effort: {json.dumps(COUNTS)}")
