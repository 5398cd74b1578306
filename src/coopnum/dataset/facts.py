"""Computed phrases the card, the datasheet and Croissant share: counts of passes, the dominant stance,
the versions of the tools, the licences. Each is worded from :class:`Stats`, the schema or package metadata,
so the three documents cannot disagree with the build or with each other."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path
from string import Template

import coopnum
from coopnum import schema
from coopnum.annotation.provenance import Annotator
from coopnum.dataset import settings
from coopnum.dataset.stats import Stats
from coopnum.dataset.tables import spelled

TEMPLATES = Path(__file__).parent / "templates"


def template(name: str) -> Template:
    return Template((TEMPLATES / name).read_text(encoding="utf-8"))


def fill(name: str, **fields: object) -> str:
    """A template filled: a missing field raises (``substitute``), so no placeholder can survive."""
    return template(name).substitute(fields)


def fragments(name: str) -> dict[str, Template]:
    """The named pieces of a fragments file: each starts at a line ``@@ name`` and runs to the next one."""
    out: dict[str, Template] = {}
    for block in template(name).template.split("@@ ")[1:]:
        key, _, text = block.partition("\n")
        out[key.strip()] = Template(text.removesuffix("\n"))
    return out


STAGE_WORDS = {
    "cleaned": "cleaned, not annotated yet",
    "stale": "annotated on a text that has changed since (stale)",
    "passes": "with annotation passes, not adjudicated yet",
    "adjudicated": "adjudicated",
}


def stages(s: Stats) -> str:
    """Documents per stage, e.g. "5 adjudicated" or "4 adjudicated, 2 cleaned, not annotated yet"."""
    shown = [(n, STAGE_WORDS[stage]) for stage, n in sorted(s.stages.items(), key=lambda kv: -kv[1]) if n]
    return "; ".join(f"{n} {words}" for n, words in shown) or "none"


def passes(s: Stats) -> str:
    """How many independent passes each document has, in words: ``two`` or ``one to three``."""
    if not s.passes:
        return spelled(0)
    low, high = min(s.passes), max(s.passes)
    return spelled(low) if low == high else f"{spelled(low)} to {spelled(high)}"


def passes_noun(s: Stats) -> str:
    return "pass" if s.passes and max(s.passes) == 1 else "passes"


def dominant_stance(s: Stats) -> str | None:
    """``FAVOR is the gold stance of 5 of 5 documents and 34 of 64 paragraphs``: the document stance a
    majority of documents carry, with its counts; None when no label has a majority."""
    documents, paragraphs = s.stance_totals("document"), s.stance_totals("paragraph")
    label = max(schema.STANCE_LABELS, key=lambda x: documents.get(x, 0))
    if 2 * documents.get(label, 0) <= sum(documents.values()):
        return None
    return (
        f"{label} is the gold stance of {documents[label]} of {sum(documents.values())} documents and "
        f"{paragraphs.get(label, 0)} of {sum(paragraphs.values())} paragraphs"
    )


def entity_labels() -> str:
    return ", ".join(schema.ENTITY_LABELS)


def stance_labels() -> str:
    return ", ".join(schema.STANCE_LABELS)


def projection_note() -> str:
    """``the five entity types mapped to CoNLL-2003's four (`EVENT` → `MISC`)``, from the schema."""
    changed = [f"`{a}` → `{b}`" for a, b in schema.CONLL_PROJECTION.items() if a != b]
    return (
        f"the {spelled(len(schema.ENTITY_TYPES))} entity types mapped to CoNLL-2003's "
        f"{spelled(len(schema.CONLL_LABELS))} ({', '.join(changed)})"
    )


def package_version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def coopnum_version() -> str:
    return coopnum.__version__


def spacy_version() -> str:
    return package_version("spacy") or "(not installed)"


def preannotation_models(s: Stats) -> list[tuple[str, str]]:
    """(name, version) of each pre-annotation model as the predictions record it (``fr_core_news_md-3.8.0``)."""
    return [(name, version) for name, _, version in (v.rpartition("-") for v in s.preannotation_models)]


def preannotation_tool_list(s: Stats) -> list[str]:
    """``["spaCy fr_core_news_md 3.8.0"]``: each pre-annotation model the predictions record."""
    return [f"spaCy {name} {version}" for name, version in preannotation_models(s)]


def preannotation_tools(s: Stats) -> str:
    """``spaCy fr_core_news_md 3.8.0``; ``none`` when no prediction is recorded."""
    return ", ".join(preannotation_tool_list(s)) or "none"


def is_machine(a: Annotator) -> bool:
    """Whether annotators.json describes ``a`` as a machine annotator (a language-model session, a script)."""
    kind = a.kind.lower()
    return kind.startswith("machine") or "language model" in kind or "language-model" in kind


def machine_annotators(s: Stats) -> list[Annotator]:
    return [a for a in s.provenance.annotators if is_machine(a)] if s.provenance else []


def annotations_per_item(s: Stats) -> str:
    """Annotations per document, people's and machines' counted apart (a machine label is not a human one)."""
    documents = sum(s.passes.values())  # annotated documents
    machine_ids = {a.id for a in machine_annotators(s)}
    machine = sum(n for who, n in s.annotations_by.items() if who in machine_ids)
    human = sum(s.annotations_by.values()) - machine

    def per(n: int) -> str:
        return f"{n / documents:.1f}" if documents else "0"

    return (
        f"{per(human)} human annotations per document; {per(machine)} machine annotations per document (passes and "
        "gold made by the machine annotators annotators.json describes); the spaCy pre-annotation suggestions "
        "are not counted as annotations"
    )


def citation(version: str) -> str:
    """The plain-text citation Croissant's ``citeAs`` and the card give."""
    return f"coopnum maintainers ({settings.RELEASE_YEAR}). {settings.PRETTY_NAME}. Version {version}. {settings.hub_url()}"


def licence_summary() -> str:
    """``Annotations: CC BY 4.0. Code: MIT.`` as the card's front matter and Rights state it."""
    return f"Annotations: {settings.ANNOTATIONS.name}. Code: {settings.CODE.name}."
