"""The schema is the single source of truth: Label Studio config, features, tables."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from datasets import ClassLabel
from label_studio_sdk.label_interface import LabelInterface

from coopnum import schema
from coopnum.dataset import card, features
from coopnum.labelstudio import config as lsconfig


def test_conll_tags_are_in_conll2003_order() -> None:
    assert schema.CONLL_NER_TAGS == ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC")
    assert schema.iob2_tags(schema.CONLL_LABELS) == schema.CONLL_NER_TAGS


def test_every_entity_type_projects_to_a_conll_class() -> None:
    assert schema.ENTITY_LABELS == ("PER", "ORG", "LOC", "EVENT", "MISC")
    assert schema.CONLL_PROJECTION == {"PER": "PER", "ORG": "ORG", "LOC": "LOC", "EVENT": "MISC", "MISC": "MISC"}
    assert set(schema.CONLL_PROJECTION.values()) <= set(schema.CONLL_LABELS)
    assert schema.FINE_NER_TAGS[:3] == ("O", "B-PER", "I-PER") and len(schema.FINE_NER_TAGS) == 11


def test_topics_carry_iptc_codes() -> None:
    assert len(schema.TOPIC_LABELS) == len(set(schema.TOPIC_LABELS)) == 8
    for t in schema.TOPICS:
        assert t.iptc and all(i.code.startswith("medtop:") and i.code[7:].isdigit() for i in t.iptc)
    assert "medtop:20000229" not in {i.code for t in schema.TOPICS for i in t.iptc}  # retired


def test_label_studio_config_parses_and_carries_the_schema() -> None:
    config = lsconfig.label_config()
    assert config == lsconfig.label_config()  # deterministic
    interface = LabelInterface(config)
    controls = {c.name: c for c in interface.controls}
    assert set(controls) == {"stance", "topics", "ner_{{idx}}", "pstance_{{idx}}"}
    assert list(controls["stance"].labels) == list(schema.STANCE_LABELS)
    assert list(controls["topics"].labels) == list(schema.TOPIC_LABELS)
    assert list(controls["ner_{{idx}}"].labels) == list(schema.ENTITY_LABELS)
    assert list(controls["pstance_{{idx}}"].labels) == list(schema.STANCE_LABELS)
    root = ET.fromstring(config)
    topics = root.find(".//Choices[@name='topics']")
    assert topics is not None and topics.get("choice") == "multiple"
    # the document stance a radio group; the paragraph stance check boxes with one choice (Tab reaches them)
    for name, choice in (("stance", "single-radio"), ("pstance_{{idx}}", "single")):
        node = root.find(f".//Choices[@name='{name}']")
        assert node is not None and node.get("choice") == choice and node.get("required") == "true"
    assert root.find(".//Repeater").get("on") == "$paragraphs"


def test_features_class_labels_are_the_schema_labels() -> None:
    ner = features.NER
    assert ner["ner_tags"].feature.names == list(schema.CONLL_NER_TAGS)
    assert ner["fine_ner_tags"].feature.names == list(schema.FINE_NER_TAGS)
    assert features.STANCE["label"].names == list(schema.STANCE_LABELS)
    assert features.STANCE_DOCUMENT["label"].names == list(schema.STANCE_LABELS)
    assert features.TOPIC["labels"].feature.names == list(schema.TOPIC_LABELS)
    kind = features.DOCUMENTS["paragraphs"].feature["kind"]
    assert isinstance(kind, ClassLabel) and kind.names == list(schema.PARAGRAPH_KINDS)
    assert features.ENTITY_SPAN["label"].names == list(schema.ENTITY_LABELS)


def test_card_tables_list_every_label() -> None:
    entity, stance, topic = card.entity_table(), card.stance_table(), card.topic_table()
    for label in schema.ENTITY_LABELS:
        assert f"| {label} |" in entity
    for label in schema.STANCE_LABELS:
        assert f"| {label} |" in stance
    for t in schema.TOPICS:
        assert f"| {t.label} |" in topic and all(i.code in topic for i in t.iptc)
