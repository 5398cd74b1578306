"""Annotators without a browser, against the real server: an account from an invite, a task export
that holds no one's annotations, pass files saved under the annotator's own account, then pulled."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest

from coopnum.annotation import format as ann
from coopnum.annotation.passfile import annotation_from_pass, prediction_entries
from coopnum.annotation.pseudonyms import AnnotatorMap
from coopnum.dataset.build import clean_corpus
from coopnum.errors import AnnotationError
from coopnum.labelstudio import annotate as lsannotate
from coopnum.labelstudio import client as lsclient
from coopnum.labelstudio import sync as lssync

from ..conftest import REPO
from ..lshelpers import RunningServer
from .test_labelstudio import push


def as_user(server: RunningServer, token: str) -> lsclient.Client:
    return lsclient.Client(lsclient.Connection(server.url, token, tries=2, backoff=0.2))


def fill(pass_obj: dict, stance: str = "NONE") -> dict:
    for p in pass_obj["paragraphs"]:
        p["stance"] = stance
    pass_obj["stance"] = stance
    pass_obj["topics"] = ["digital_economy"]
    return pass_obj


@pytest.mark.labelstudio
def test_annotator_accounts_export_submit_and_pull(ls_server: RunningServer, tmp_path: Path) -> None:
    title = f"annotate-{secrets.token_hex(3)}"
    docs = [d.clean for d in clean_corpus(REPO / "corpus")]
    push(ls_server, docs, title)
    a = lsannotate.add_annotator(
        ls_server.url, ls_server.admin.token, f"a-{secrets.token_hex(3)}@coopnum.invalid", secrets.token_urlsafe(12)
    )
    b = lsannotate.add_annotator(
        ls_server.url, ls_server.admin.token, f"b-{secrets.token_hex(3)}@coopnum.invalid", secrets.token_urlsafe(12)
    )
    assert a.user_id != b.user_id and a.token != b.token

    # A starts from the pre-annotations: its pass files hold exactly the model's spans.
    n, _ = lsannotate.export_tasks(as_user(ls_server, a.token), title, tmp_path / "a", with_predictions=True)
    assert n == len(docs)
    doc = next(d for d in docs if d.doc_id == "db38e82f54f3c3a1")
    obj = fill(json.loads((tmp_path / "a" / f"{doc.doc_id}.pass.json").read_text()), "FAVOR")
    paragraphs = [(p.start, p.end) for p in doc.paragraphs]
    from_template = annotation_from_pass(obj, doc.text, paragraphs, annotation_id="x", annotator="a")
    assert from_template.entities, "the template carries the pre-annotations"
    (tmp_path / "a" / "filled.json").write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    first = lsannotate.submit(as_user(ls_server, a.token), title, [tmp_path / "a" / "filled.json"])
    again = lsannotate.submit(as_user(ls_server, a.token), title, [tmp_path / "a" / "filled.json"])
    assert first[0].created and not again[0].created and again[0].annotation_id == first[0].annotation_id

    # B starts from scratch, and its export does not show A's annotation.
    lsannotate.export_tasks(as_user(ls_server, b.token), title, tmp_path / "b", with_predictions=False)
    task_file = json.loads((tmp_path / "b" / f"{doc.doc_id}.task.json").read_text())
    assert set(task_file) == {"doc_id", "text_sha256", "task_id", "paragraphs"}
    b_obj = fill(json.loads((tmp_path / "b" / f"{doc.doc_id}.pass.json").read_text()))
    assert all(p["entities"] == [] for p in b_obj["paragraphs"])
    b_obj["paragraphs"][1]["entities"] = [["Dmitri Peskov", "PER"]]
    (tmp_path / "b" / "filled.json").write_text(json.dumps(b_obj, ensure_ascii=False), encoding="utf-8")
    lsannotate.submit(as_user(ls_server, b.token), title, [tmp_path / "b" / "filled.json"])

    # The admin pulls: two annotations on the document, each under its own pseudonym, as submitted.
    out = tmp_path / "repo" / "annotations"
    annotators = AnnotatorMap.load(tmp_path / "map.json")
    lssync.pull(ls_server.client(), title, out, annotators)
    pulled = ann.load_file(out / ann.SUBDIR / f"{doc.doc_id}.json")
    assert len(pulled.annotations) == 2 and len({x.annotator for x in pulled.annotations}) == 2
    by_spans = {len(x.entities): x for x in pulled.annotations}
    assert by_spans[1].entities == (
        ann.Span(*next((s.start, s.end) for s in by_spans[1].entities), "PER", "Dmitri Peskov"),
    )
    assert by_spans[len(from_template.entities)].entities == from_template.entities
    assert by_spans[len(from_template.entities)].paragraph_stances == ("FAVOR",) * len(paragraphs)


@pytest.mark.labelstudio
def test_a_pass_on_another_text_is_refused(ls_server: RunningServer, tmp_path: Path) -> None:
    title = f"annotate-{secrets.token_hex(3)}"
    docs = [d.clean for d in clean_corpus(REPO / "corpus")]
    push(ls_server, docs, title, predictions=False)
    lsannotate.export_tasks(ls_server.client(), title, tmp_path, with_predictions=False)
    path = tmp_path / "e80b6e8af8c7752b.pass.json"
    obj = fill(json.loads(path.read_text()))
    obj["text_sha256"] = "0" * 64
    path.write_text(json.dumps(obj), encoding="utf-8")
    with pytest.raises(AnnotationError) as e:
        lsannotate.submit(ls_server.client(), title, [path])
    assert e.value.field == "text_sha256" and e.value.doc_id == "e80b6e8af8c7752b"


def test_prediction_entries_give_back_the_spans() -> None:
    paragraph = "Le gouvernement de Moscou et Moscou, puis Moscou."
    spans = [(3, 25, "ORG"), (42, 48, "LOC")]  # the third Moscou only
    entries, skipped = prediction_entries(paragraph, spans)
    assert skipped == 0
    assert prediction_entries(paragraph, [(20, 25, "LOC")]) == ([], 1)  # inside a word: counted
    a = annotation_from_pass(
        {
            "doc_id": "x",
            "paragraphs": [{"index": 0, "stance": "NONE", "entities": entries}],
            "stance": "NONE",
            "topics": ["health"],
        },
        paragraph,
        [(0, len(paragraph))],
        annotation_id="t",
        annotator="t",
    )
    assert [(s.start, s.end, s.label) for s in a.entities] == sorted(spans)
