"""``DATASHEET.md``: every question of *Datasheets for Datasets* (Gebru et al., 2021), answered.

The questions and the prose of the answers are in ``templates/datasheet.md`` (the
pieces that depend on the build in ``templates/datasheet_fragments.md``); every
figure and version filled into them comes from the build's :class:`Stats`, the
schema or package metadata. ``coopnum build`` writes the file and records its
hash, so ``coopnum build --check`` fails when a figure is out of date or the file
was edited by hand.
"""

from __future__ import annotations

import re
from pathlib import Path

from coopnum import schema
from coopnum.corpus import clean
from coopnum.dataset import facts, settings
from coopnum.dataset.stats import Stats
from coopnum.dataset.tables import fmt, spelled

TEMPLATE = "datasheet.md"
FRAGMENTS = "datasheet_fragments.md"


def _questions() -> tuple[tuple[str, str, str], ...]:
    """(section, question, answer template) in template order."""
    out, section = [], ""
    for block in re.split(r"^## ", facts.template(TEMPLATE).template, flags=re.M)[1:]:
        section, _, body = block.partition("\n")
        parts = re.split(r"^\*\*(.+?)\*\*$", body, flags=re.M)[1:]
        out += [(section, q, a.strip()) for q, a in zip(parts[0::2], parts[1::2], strict=True)]
    return tuple(out)


QUESTIONS = _questions()


def _fragment(name: str, **fields: object) -> str:
    return facts.fragments(FRAGMENTS)[name].substitute(fields)


def _machine_annotated(s: Stats) -> bool:
    return s.provenance is not None and "machine-generated" in s.provenance.card_creators


def _annotation_summary(s: Stats) -> str:
    if not s.annotated or s.provenance is None:
        return _fragment("annotation_unannotated")
    people = "; ".join(f"`{a.id}` ({a.role}): {a.kind}, {a.method}" for a in s.provenance.annotators)
    return _fragment(
        "annotation_summary",
        summary=s.provenance.summary,
        people=people,
        guidelines_version=s.provenance.guidelines_version,
        per_document=f"{s.annotations_per_document:.1f}",
    )


def _agreement(s: Stats) -> str:
    r = s.agreement
    if r is None or not r.pairs:
        return _fragment("agreement_none")
    p = r.pairs[0]
    text = _fragment(
        "agreement_pair",
        first=p.first,
        second=p.second,
        pair_documents=p.documents,
        exact=fmt(p.ner_exact["overall"].f1, 3),
        partial=fmt(p.ner_partial["overall"].f1, 3),
        paragraph_alpha=fmt(r.paragraph_stance_alpha, 3),
        document_alpha=fmt(r.document_stance_alpha, 3),
    )
    return text + (_fragment("agreement_machine") if _machine_annotated(s) else "")


def _compensation(s: Stats) -> str:
    if not s.annotated:
        return _fragment("compensation_unannotated")
    return _fragment("compensation_machine" if _machine_annotated(s) else "compensation_people")


def _publication_dates(s: Stats) -> str:
    if not s.dates:
        return _fragment("dates_none")
    return _fragment("dates_some", dated=len(s.dates), first=s.dates[0], last=s.dates[-1])


def _preannotation_tools(s: Stats) -> str:
    models = facts.preannotation_models(s)
    if not models:
        return _fragment("preannotation_none")
    return ", ".join(f"spaCy `{name}` {version}" for name, version in models)


def _composition_fields(s: Stats) -> dict[str, object]:
    n = s.total_documents
    counts = "token_counts_annotated" if s.annotated else "token_counts_unannotated"
    return {
        "documents": n,
        "stages": facts.stages(s),
        "documents_spelled": spelled(n),
        "by_split": ", ".join(f"{v} {k}" for k, v in s.documents.items()),
        "paragraphs": sum(s.paragraphs.values()),
        "characters": f"{s.characters:,}",
        "token_counts": _fragment(counts, sentences=sum(s.sentences.values()), tokens=sum(s.tokens.values())),
        "gold_layers": _fragment("gold_layers_annotated" if s.annotated else "gold_layers_unannotated"),
        "labels": _fragment(
            "labels_annotated",
            entity_labels=facts.entity_labels(),
            stance_labels=facts.stance_labels(),
            stance_target=schema.STANCE_TARGET,
            topics=len(schema.TOPICS),
        )
        if s.annotated
        else _fragment("labels_unannotated"),
        "no_outlet": n - s.outlet_known,
        "undated": n - s.date_known,
        "untitled": n - s.title_known,
        "url_note": _fragment("urls_some", no_url=n - s.url_known, documents=n)
        if s.url_known
        else _fragment("urls_none"),
        "split_names": "/".join(schema.SPLITS),
        "agreement": _agreement(s),
    }


def _process_fields(s: Stats) -> dict[str, object]:
    return {
        "annotation_compensation": _compensation(s),
        "publication_dates": _publication_dates(s),
        "raw_lines": s.raw_lines,
        "removed_lines": sum(s.removed_by_rule.values()),
        "rules_used": sum(1 for n in s.removed_by_rule.values() if n),
        "rules": len(clean.RULES),
        "annotation_summary": _annotation_summary(s),
        "coopnum_version": s.release,
        "preannotation_tools": _preannotation_tools(s),
        "spacy_version": facts.spacy_version(),
        "annotations_licence": settings.ANNOTATIONS.name,
        "code_licence": settings.CODE.name,
    }


def render(s: Stats) -> str:
    here = Path(__file__)
    source = here.parents[2]  # src/
    return facts.fill(
        TEMPLATE,
        template=(facts.TEMPLATES / TEMPLATE).relative_to(source.parent).as_posix(),
        module=here.relative_to(source.parent).as_posix(),
        **_composition_fields(s),
        **_process_fields(s),
    )
