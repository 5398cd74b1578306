"""The guidelines' label tables are the schema's, verbatim."""

from __future__ import annotations

import re

from coopnum import schema
from coopnum.dataset import card

from .conftest import REPO

GUIDELINES = REPO / "annotations" / "GUIDELINES.md"


def test_generated_label_tables_are_current() -> None:
    text = GUIDELINES.read_text(encoding="utf-8")
    for generated in (card.entity_table(), card.stance_table(), card.topic_table()):
        assert generated in text, "re-paste the tables printed by `coopnum schema --format markdown`"


def test_guidelines_name_every_label_and_a_version() -> None:
    text = GUIDELINES.read_text(encoding="utf-8")
    for label in (*schema.ENTITY_LABELS, *schema.STANCE_LABELS, *schema.TOPIC_LABELS):
        assert label in text
    assert re.search(r"^Version \*\*\d+\.\d+\*\*", text, flags=re.M)
    assert schema.STANCE_TARGET in text


def test_guidelines_give_the_tools_entity_keys_and_order() -> None:
    """§1 says what the labeling config does: the same entity keys, label before selection, stances after the text."""
    from coopnum.labelstudio import config

    text = GUIDELINES.read_text(encoding="utf-8")
    section = text[text.index("## 1.") : text.index("## 2.")]
    keys = ", ".join(f"{k} = {e.label}" for k, e in zip(config.ENTITY_HOTKEYS, schema.ENTITY_TYPES, strict=True))
    assert " ".join(keys.split()) in " ".join(section.split())
    assert "label first, then select" in section
    assert section.index("After the last paragraph") > section.index("one block per paragraph")
