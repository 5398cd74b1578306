"""Pure conversions: UTF-16 offsets, tasks ↔ documents, results ↔ annotations, config checks, pseudonyms."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopnum.annotation.format import Annotation, Span
from coopnum.annotation.pseudonyms import PSEUDONYM, RESTORED_DOMAIN, AnnotatorMap
from coopnum.labelstudio import config as lsconfig
from coopnum.labelstudio import tasks as lstasks
from coopnum.labelstudio.offsets import UTF16, LabelStudioOffsets, OffsetError, Utf16Index

from ..lshelpers import document, utf16

CASES = [
    ("", 0, 0),
    ("abc", 3, 3),
    ("a😀b", 1, 1),
    ("a😀b", 2, 3),
    ("a😀b", 3, 4),
    ("😀😀", 2, 4),
    ("é\u00a0:\r\nx", 5, 5),  # NBSP, CR, LF: one unit each
    ("𝔘𝔫 test", 2, 4),
]


@pytest.mark.parametrize(("text", "index", "unit"), CASES)
def test_utf16_table(text: str, index: int, unit: int) -> None:
    idx = Utf16Index(text)
    assert idx.to_utf16(index) == unit == utf16(text, index)
    assert idx.from_utf16(unit) == index


@given(st.text(alphabet=st.sampled_from("ab \u00a0\r\n😀𝔘é")))
def test_utf16_matches_the_encoder_and_inverts(text: str) -> None:
    idx = Utf16Index(text)
    assert idx.utf16_len == len(text.encode("utf-16-le")) // 2
    for i in range(len(text) + 1):
        assert idx.to_utf16(i) == utf16(text, i)
        assert idx.from_utf16(idx.to_utf16(i)) == i


@pytest.mark.parametrize(("text", "unit"), [("a😀b", 2), ("😀", 1), ("ab", 3), ("ab", -1)])
def test_utf16_offsets_inside_a_pair_or_outside_the_text_are_errors(text: str, unit: int) -> None:
    with pytest.raises(OffsetError):
        Utf16Index(text).from_utf16(unit)


@pytest.mark.parametrize("text", ["Le 😀 groupe\r\nYandex\u00a0: Kazan", "𝔘𝔫", ""])
def test_label_studio_offsets_in_either_unit(text: str) -> None:
    points, units = LabelStudioOffsets(text), LabelStudioOffsets(text, UTF16)
    for i in range(len(text) + 1):
        assert points.to_label_studio(i) == i == points.from_label_studio(i)
        assert units.to_label_studio(i) == utf16(text, i) and units.from_label_studio(utf16(text, i)) == i
    with pytest.raises(OffsetError):
        points.from_label_studio(len(text) + 1)


DOC = document("00000000000000d1", ["Titre 🚀 Yandex", "Le 😀 groupe Yandex\u00a0: Moscou.", "Fin à Kazan."])
TEXT = lstasks.task_text(json.loads(json.dumps(lstasks.task_data(DOC))))  # through JSON, as the server stores it


def span(surface: str, label: str, para: int) -> Span:
    start = DOC.text.index(surface, DOC.paragraphs[para].start)
    return Span(start, start + len(surface), label, surface)


def annotation(**kw: object) -> Annotation:
    fields = {
        "id": "ls-1",
        "annotator": "annotator-000000000001",
        "ground_truth": False,
        "created_at": None,
        "updated_at": None,
        "entities": (span("Yandex", "ORG", 0), span("Moscou", "LOC", 1), span("Kazan", "LOC", 2)),
        "paragraph_stances": ("NONE", "FAVOR", None),
        "stance": "FAVOR",
        "topics": ("digital_economy", "health"),
    }
    return Annotation(**{**fields, **kw})  # type: ignore[arg-type]


def test_annotation_to_result_and_back_is_exact() -> None:
    a = annotation()
    result = lstasks.annotation_to_result(a, TEXT)
    moscou = next(r for r in result if r["type"] == "labels" and r["value"]["text"] == "Moscou")
    p1 = TEXT.paragraphs[1]
    assert moscou["value"]["start"] == p1.index("Moscou")  # Label Studio 1.23.2 counts code points
    parsed, problems = lstasks.parse_result(result, TEXT, 1, "ls-1")
    assert problems == []
    back = lstasks.to_annotation(
        parsed, id=a.id, annotator=a.annotator, ground_truth=False, created_at=None, updated_at=None
    )
    assert back == a
    assert (parsed.raw_spans, parsed.raw_choices) == (3, 2 + 1 + 2)


def test_task_data_round_trips_and_keeps_paragraph_offsets() -> None:
    assert TEXT.doc_id == DOC.doc_id and TEXT.text_sha256 == DOC.text_sha256
    for (s, e), p in zip(TEXT.para_offsets, TEXT.paragraphs, strict=True):
        assert DOC.text[s:e] == p
    assert lstasks.task_text(lstasks.stale_data(lstasks.task_data(DOC))).stale


@pytest.mark.parametrize(
    ("item", "field", "message"),
    [
        (
            {"from_name": "ner_9", "to_name": "p_9", "type": "labels", "value": {}},
            "result[0].from_name",
            "3 paragraphs",
        ),
        (
            {"from_name": "nope", "to_name": "doc", "type": "choices", "value": {}},
            "result[0].from_name",
            "not a control",
        ),
        (
            {"from_name": "stance", "to_name": "p_0", "type": "choices", "value": {}},
            "result[0].to_name",
            "not the object",
        ),
        (
            {"from_name": "stance", "to_name": "doc", "type": "labels", "value": {}},
            "result[0].type",
            "expected 'choices'",
        ),
        (
            {"from_name": "stance", "to_name": "doc", "type": "choices", "value": {"choices": ["X"]}},
            "result[0].value.choices",
            "not among",
        ),
        (
            {"from_name": "stance", "to_name": "doc", "type": "choices", "value": {"choices": ["NONE", "FAVOR"]}},
            "result[0].value.choices",
            "takes one value",
        ),
        (
            {
                "from_name": "ner_0",
                "to_name": "p_0",
                "type": "labels",
                "value": {"start": 0, "end": 5, "labels": ["PER", "ORG"]},
            },
            "result[0].value.labels",
            "exactly one label",
        ),
        (
            {
                "from_name": "ner_0",
                "to_name": "p_0",
                "type": "labels",
                "value": {"start": 7, "end": 99, "labels": ["ORG"]},
            },
            "result[0].value.end",
            "outside the text",
        ),
        (
            {
                "from_name": "ner_0",
                "to_name": "p_0",
                "type": "labels",
                "value": {"start": 8, "end": 14, "text": "Yandez", "labels": ["ORG"]},
            },
            "result[0].value.text",
            "hold 'Yandex'",
        ),
        ("text", "result[0]", "expected an object"),
    ],
)
def test_invalid_results_name_the_field(item: object, field: str, message: str) -> None:
    parsed, problems = lstasks.parse_result([item], TEXT, 7, "ls-3")
    assert parsed is None
    assert [(p.task, p.annotation, p.field) for p in problems] == [(7, "ls-3", field)]
    assert message in problems[0].message


def test_a_second_result_for_one_choice_is_an_error() -> None:
    twice = [{"from_name": "stance", "to_name": "doc", "type": "choices", "value": {"choices": ["NONE"]}}] * 2
    _, problems = lstasks.parse_result(twice, TEXT, 1, "ls-1")
    assert [p.field for p in problems] == ["result[1].from_name"]


def test_controls_are_read_from_the_generated_config() -> None:
    controls = lsconfig.controls(lsconfig.label_config())
    assert set(controls) == {lsconfig.DOC_STANCE, lsconfig.TOPICS, lsconfig.ENTITIES, lsconfig.PARAGRAPH_STANCE}
    assert controls[lsconfig.TOPICS].multiple and not controls[lsconfig.DOC_STANCE].multiple
    assert controls[lsconfig.ENTITIES].instance(3) == ("ner_3", "p_3")


def test_pseudonyms_are_random_stable_and_kept_apart(tmp_path) -> None:
    path = tmp_path / "map.json"
    amap = AnnotatorMap.load(path)
    a, b = amap.pseudonym("a@x.invalid"), amap.pseudonym("b@x.invalid")
    assert PSEUDONYM.fullmatch(a) and a != b and amap.pseudonym("a@x.invalid") == a
    amap.save()
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    again = AnnotatorMap.load(path)
    assert again.pseudonym("a@x.invalid") == a and again.email(b) == "b@x.invalid"
    placeholder = again.email("annotator-0123456789ab")
    assert placeholder.endswith(RESTORED_DOMAIN) and again.pseudonym(placeholder) == "annotator-0123456789ab"
