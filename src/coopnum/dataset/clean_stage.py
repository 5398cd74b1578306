"""``coopnum clean``: the clean stage on its own, streamed over worker processes into a folder."""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from coopnum.annotation.document import Document
from coopnum.corpus import recurring
from coopnum.corpus import sources as corpus
from coopnum.dataset.pipeline import CHUNK_DOCUMENTS, clean_source
from coopnum.errors import CoopnumError
from coopnum.util import swap
from coopnum.util.executor import default_processes, parallel_map
from coopnum.util.progress import Counter as ProgressCounter
from coopnum.util.progress import Progress, silent

OWNER = swap.Marked("coopnum clean")  # its folders carry swap.MARKER naming it and listing its files


@dataclass(frozen=True)
class CleanSummary:
    doc_id: str
    raw_lines: int
    kept: int
    removed: int
    paragraphs: int
    characters: int
    title: str  # "yes" or "no"


def clean_record(d: Document) -> dict[str, object]:
    c = d.clean
    return {
        "doc_id": c.doc_id,
        "raw_file": f"corpus/raw/{d.source.file}",
        "raw_sha256": d.source.raw_sha256,
        "title": c.title,
        "outlet_extracted": c.outlet,
        "date_extracted": c.date,
        "text": c.text,
        "text_sha256": c.text_sha256,
        "paragraphs": [{"start": p.start, "end": p.end, "kind": p.kind} for p in c.paragraphs],
        "offset_map": c.offset_map.as_rows(),
    }


@dataclass(frozen=True)
class CleanStep:
    """Clean some documents and write ``<doc_id>.json`` and ``<doc_id>.audit.jsonl`` for each into ``folder``."""

    corpus_dir: Path
    folder: Path
    evidence: recurring.LineEvidence = field(default_factory=recurring.LineEvidence)

    def __call__(self, sources: Sequence[corpus.Source]) -> list[CleanSummary] | CoopnumError:
        out = []
        for s in sources:
            try:
                d = clean_source(self.corpus_dir, s, 0, self.evidence)
            except CoopnumError as e:
                return e
            self._write(d)
            out.append(summary_of(d))
        return out

    def _write(self, d: Document) -> None:
        c = d.clean
        (self.folder / f"{c.doc_id}.json").write_text(
            json.dumps(clean_record(d), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        with (self.folder / f"{c.doc_id}.audit.jsonl").open("w", encoding="utf-8") as f:
            for a in c.audit:  # the count of a recurring line only where there is one
                record = {k: v for k, v in a.__dict__.items() if k != "recurrence" or v is not None}
                f.write(json.dumps(record, ensure_ascii=False) + "\n")


def summary_of(d: Document) -> CleanSummary:
    c = d.clean
    actions = [a.action for a in c.audit]
    return CleanSummary(
        c.doc_id,
        len(actions),
        sum(a in ("kept", "trimmed") for a in actions),
        actions.count("removed"),
        len(c.paragraphs),
        len(c.text),
        "yes" if c.title else "no",
    )


def write_clean(
    corpus_dir: Path,
    target: Path,
    processes: int | None = None,
    chunk_documents: int = CHUNK_DOCUMENTS,
    *,
    root: Path | None = None,
    progress: Progress = silent,
) -> list[CleanSummary]:
    """The clean stage on its own: every document's clean text and audit under ``target``, written
    into a temporary folder that replaces ``target`` only when all are written.

    ``target`` must be new, empty or a folder this command wrote (it carries :data:`swap.MARKER`),
    and neither the repository ``root`` (default: the corpus's parent), a folder above it, nor a
    folder inside ``corpus/``, ``annotations/``, ``dataset/`` or ``.git``: those are refused
    (:class:`swap.SwapError`) before anything is written. Call it holding the checkout lock."""
    root = corpus_dir.parent if root is None else root
    reserved = (corpus_dir, root / "annotations", root / "dataset", root / ".git")
    tmp = swap.staging(target, OWNER, root=root, reserved=reserved)
    summaries: list[CleanSummary] = []
    try:
        sources = corpus.list_corpus(corpus_dir)
        chunks = [sources[i : i + chunk_documents] for i in range(0, len(sources), chunk_documents)]
        done = ProgressCounter(progress, "documents", len(sources))
        evidence = recurring.of_corpus(corpus_dir, sources, processes)  # the corpus pass before cleaning
        step = CleanStep(corpus_dir, tmp, evidence)
        for result in parallel_map(step, chunks, processes or default_processes()):
            if isinstance(result, CoopnumError):
                raise result
            summaries += result
            done.add(len(result))
        swap.mark(tmp, OWNER)
        swap.swap_in(tmp, target)  # the old folder stays if the swap fails
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return summaries
