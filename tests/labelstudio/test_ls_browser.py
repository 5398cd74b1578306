"""What an annotator sees: Debian's chromium, driven by Playwright, through a real Label Studio.

Signs an annotator up (invite link), logs in, opens a task, checks the article
text, entity labels, one stance per paragraph, the document stance and the
topics are there, labels one entity after an emoji, NBSP and CRLF (which shows
the unit of the front end's offsets: code points in 1.23.2) and the stances, submits, and pulls the result back with the CLI. Saves
the labeling screen of a real article as ``docs/labelstudio-task.png``.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
from typer.testing import CliRunner

from coopnum.annotation import format as ann
from coopnum.annotation.pseudonyms import PSEUDONYM
from coopnum.cli import app
from coopnum.dataset.build import clean_corpus
from coopnum.labelstudio import sync as lssync

from ..lshelpers import CHROMIUM, REPO, RunningServer, document, require
from .test_labelstudio import MODEL, OUTPUTS, predictor

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

pytestmark = pytest.mark.labelstudio  # a real server and chromium

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The README's screenshot is refreshed only on request, so a test run leaves the checkout clean.
SCREENSHOT = REPO / "docs" / "labelstudio-task.png"
UPDATE_SCREENSHOT = os.environ.get("COOPNUM_UPDATE_SCREENSHOT") == "1"
# Every wait is on a condition; this only bounds how long a loaded machine may take to meet it.
UI_TIMEOUT_MS = 60_000


FIND_WORD = """(word) => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const i = n.data.indexOf(word);
    if (i >= 0) {
      const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + word.length);
      const b = r.getBoundingClientRect(); return {x: b.x + b.width / 2, y: b.y + b.height / 2};
    }
  }
  return null;
}"""


def sign_up(server: RunningServer, email: str, password: str) -> None:
    """An annotator account through the invite link, as a person would get one."""
    with httpx.Client(base_url=server.url, follow_redirects=False, timeout=30) as http:
        invite = http.get("/api/invite", headers={"Authorization": f"Token {server.admin.token}"}).json()
        http.get("/user/signup/")
        response = http.post(
            f"/user/signup/?token={invite['token']}",
            data={"email": email, "password": password, "csrfmiddlewaretoken": http.cookies["csrftoken"]},
            headers={"Referer": f"{server.url}/user/signup/"},
        )
        assert response.status_code == 302, response.text[:300]


def label(page: Page, name: str) -> Locator:
    """The choice or label element whose text starts with ``name`` (a hotkey hint follows it)."""
    return page.locator("label, .lsf-label").filter(has_text=re.compile(rf"^{re.escape(name)}"))


def log_in(page: Page, url: str, email: str, password: str) -> None:
    page.goto(f"{url}/user/login/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert "/user/login" not in page.url, "login failed"


def screenshot_task(page: Page, task_url: str, shown: str, regions: int, scratch: Path) -> Path:
    """The labeling screen of a task once its text and its ``regions`` pre-annotations are drawn
    (in ``scratch`` unless the README's screenshot is to be refreshed)."""
    page.goto(task_url)
    page.get_by_text(shown).wait_for()
    # a region is one highlight or more (split where regions cross)
    page.wait_for_function(
        "n => document.querySelectorAll('.htx-highlight').length >= n", arg=regions, timeout=UI_TIMEOUT_MS
    )
    shot = SCREENSHOT if UPDATE_SCREENSHOT else scratch / "labelstudio-task.png"
    shot.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(shot))
    return shot


def label_and_submit(page: Page, url: str, task_id: int, n: int) -> None:
    """Open the task of the test document (``n`` paragraphs), check its controls, label Kazan and the stances, submit."""
    from playwright.sync_api import expect

    page.goto(f"{url}/data?task={task_id}")
    page.get_by_text("Yandex investit").wait_for()
    # the controls render after the text: wait on each count (the task's text alone said nothing)
    expect(label(page, "FAVOR")).to_have_count(n + 1, timeout=UI_TIMEOUT_MS)  # per paragraph + document
    expect(label(page, "digital_economy")).to_have_count(1, timeout=UI_TIMEOUT_MS)
    expect(label(page, "sme_startups")).to_have_count(1, timeout=UI_TIMEOUT_MS)
    for entity in ("PER", "ORG", "LOC", "EVENT", "MISC"):
        expect(label(page, entity)).to_have_count(n, timeout=UI_TIMEOUT_MS)  # entity labels per paragraph

    label(page, "LOC").nth(1).click()  # the labels of paragraph 1, then the word
    box = page.evaluate(FIND_WORD, "Kazan")
    page.mouse.dblclick(box["x"], box["y"])
    expect(page.locator(".htx-highlight", has_text="Kazan")).to_have_count(1, timeout=UI_TIMEOUT_MS)
    for i in range(n):
        label(page, "FAVOR").nth(i).click()
    label(page, "NONE").nth(n).click()  # the document's stance, after the text
    label(page, "digital_economy").click()
    with page.expect_response(
        lambda r: r.request.method == "POST" and f"/api/tasks/{task_id}/annotations" in r.url, timeout=UI_TIMEOUT_MS
    ) as submitted:
        page.get_by_role("button", name="Submit").click()
    assert submitted.value.ok, f"submit answered HTTP {submitted.value.status}"


def test_an_annotator_labels_a_task_in_chromium_and_pull_gets_it(ls_server: RunningServer, tmp_path: Path) -> None:
    require(CHROMIUM.is_file(), f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    article = clean_corpus(REPO / "corpus")[0].clean
    doc = document(
        "00000000000b0001", ["Yandex à Moscou", "Le 😀 groupe\r\nYandex investit\u00a0: à Kazan.", "La Russie."]
    )
    # the article pre-annotated, and the suggestions shown (the route of a pass from pre-annotations)
    lssync.push(ls_server.client(), [article], "browser", predictor, MODEL, show_predictions=True)
    lssync.push(ls_server.client(), [article, doc], "browser", None, MODEL, show_predictions=True)
    client = ls_server.client()
    pid = client.project("browser").id
    tasks = {t["data"]["doc_id"]: t for t in client.tasks(pid)}
    predicted = sum(len(p["result"]) for p in tasks[article.doc_id]["predictions"])
    assert predicted > 0, "the article has pre-annotations to show"
    email, password = "annie@coopnum.invalid", secrets.token_urlsafe(12)
    sign_up(ls_server, email, password)
    n = len(doc.paragraphs)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(UI_TIMEOUT_MS)
            log_in(page, ls_server.url, email, password)
            project_url = f"{ls_server.url}/projects/{pid}"
            shown = article.text[article.paragraphs[1].start : article.paragraphs[1].end][:40]
            article_url = f"{project_url}/data?task={tasks[article.doc_id]['id']}"
            shot = screenshot_task(page, article_url, shown, predicted, tmp_path / "shot")
            assert shot.stat().st_size > 10_000  # a real rendering, not a blank page
            label_and_submit(page, project_url, tasks[doc.doc_id]["id"], n)
        finally:
            browser.close()

    runner = CliRunner()
    env = {**ls_server.env(), "COOPNUM_LS_ANNOTATOR_MAP": str(tmp_path / "map.json")}
    result = runner.invoke(app, ["ls", "pull", "--root", str(tmp_path), "--project", "browser"], env=env)
    OUTPUTS.append(result.output)
    assert result.exit_code == 0, result.output
    (got,) = ann.load_all(tmp_path / "annotations")[doc.doc_id].annotations
    kazan = doc.text.index("Kazan")
    assert got.entities == (ann.Span(kazan, kazan + 5, "LOC", "Kazan"),)  # code points, in the browser too
    assert got.paragraph_stances == ("FAVOR",) * n and got.stance == "NONE" and got.topics == ("digital_economy",)
    assert PSEUDONYM.fullmatch(got.annotator) and not got.ground_truth
