"""The Label Studio labeling config, generated from :mod:`coopnum.schema`.

One task per document, data ``{"doc_id", "text_sha256", "title", "notice",
"stale", "paragraphs": [{"text"}], "para_offsets": [[start, end]]}``
(:func:`coopnum.lstasks.task_data`). Document-level choices hang on a ``Text``
outside the ``Repeater`` (Label Studio needs an object there); each paragraph
gets its own text, entity labels and a required stance choice, so Submit is
blocked until every paragraph has a stance. NER offsets in results are relative
to the paragraph (and in UTF-16 code units: :mod:`coopnum.labelstudio` converts).
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree import ElementTree
from xml.sax.saxutils import escape, quoteattr

from coopnum import schema

# Control names: results are keyed by them (``{{idx}}`` is the paragraph index).
DOC_STANCE = "stance"
TOPICS = "topics"
ENTITIES = "ner_{{idx}}"
PARAGRAPH_STANCE = "pstance_{{idx}}"
DOC_OBJECT = "doc"
PARAGRAPH_OBJECT = "p_{{idx}}"

# Colour-blind-safe palette (Okabe–Ito), one per entity type in schema order.
ENTITY_COLOURS = ("#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#F0E442")


def _attrs(**kwargs: str) -> str:
    return " ".join(f"{k}={quoteattr(v)}" for k, v in kwargs.items())


def _choices(name: str, to_name: str, values: list[tuple[str, str]], choice: str, required: bool) -> list[str]:
    lines = [
        f"    <Choices {_attrs(name=name, toName=to_name, choice=choice, required=str(required).lower())}"
        ' showInline="true">'
    ]
    lines += [f"      <Choice {_attrs(value=v, hint=h)}/>" for v, h in values]
    lines.append("    </Choices>")
    return lines


def label_config() -> str:
    """The labeling config XML (deterministic: same schema, same bytes)."""
    stance = [(s.label, s.definition) for s in schema.STANCE_LABELS_INFO]
    topics = [(t.label, f"{t.covers} — IPTC {', '.join(i.code for i in t.iptc)}") for t in schema.TOPICS]
    entity_lines = [
        f"      <Label {_attrs(value=e.label, background=c, hint=e.definition)}/>"
        for e, c in zip(schema.ENTITY_TYPES, ENTITY_COLOURS, strict=True)
    ]
    lines = [
        "<View>",
        # the title is paragraph 0 (annotated like the others); on top only the stale-task notice, if any
        '  <Header value="$notice" style="color: #b00020"/>',
        f'  <Text name="{DOC_OBJECT}" value="$doc_id"/>',
        f'  <Header value={quoteattr("Stance toward: " + schema.STANCE_TARGET)} size="5"/>',
        '  <View style="display: flex; gap: 2em">',
        *[("  " + x) for x in _choices(DOC_STANCE, DOC_OBJECT, stance, "single-radio", True)],
        "  </View>",
        '  <Header value="Topics (at least one)" size="5"/>',
        *_choices(TOPICS, DOC_OBJECT, topics, "multiple", True),
        '  <Repeater on="$paragraphs" indexFlag="{{idx}}">',
        '    <View style="border-top: 1px solid #ccc; padding-top: 0.5em">',
        f'      <Text name="{PARAGRAPH_OBJECT}" value="$paragraphs[{{{{idx}}}}].text" granularity="word"/>',
        f'      <Labels name="{ENTITIES}" toName="{PARAGRAPH_OBJECT}">',
        *[("  " + x) for x in entity_lines],
        "      </Labels>",
        *[("  " + x) for x in _choices(PARAGRAPH_STANCE, PARAGRAPH_OBJECT, stance, "single-radio", True)],
        "    </View>",
        "  </Repeater>",
        "</View>",
    ]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ reading a config back

REPEAT_FLAG = "{{idx}}"


@dataclass(frozen=True)
class Control:
    """A control tag of a labeling config, as results must match it.

    ``name`` and ``to_name`` hold ``{{idx}}`` when the control sits inside the
    ``Repeater``: there is one instance per paragraph.
    """

    name: str
    to_name: str
    kind: str  # the result type: "labels" or "choices"
    values: tuple[str, ...]
    multiple: bool  # more than one value per result allowed
    repeated: bool

    def instance(self, idx: int | None) -> tuple[str, str]:
        """``(from_name, to_name)`` of the instance for paragraph ``idx`` (None outside the Repeater)."""
        if not self.repeated:
            return self.name, self.to_name
        return self.name.replace(REPEAT_FLAG, str(idx)), self.to_name.replace(REPEAT_FLAG, str(idx))


CONTROL_KINDS = {"Labels": "labels", "Choices": "choices"}


def controls(config: str) -> dict[str, Control]:
    """The ``Labels`` and ``Choices`` controls of ``config`` by (template) name.

    Label Studio stores any result it is sent, so results are checked against
    these on the client. Other control tags are not used by coopnum and raise.
    """
    root = ElementTree.fromstring(config)
    found: dict[str, Control] = {}

    def walk(element: ElementTree.Element, repeated: bool) -> None:
        for child in element:
            if child.tag in CONTROL_KINDS:
                kind = CONTROL_KINDS[child.tag]
                value_tag = "Label" if kind == "labels" else "Choice"
                # one label per region (Labels defaults to single); Choices say so with choice="multiple"
                multiple = child.get("choice", "single") == "multiple"
                found[child.get("name", "")] = Control(
                    name=child.get("name", ""),
                    to_name=child.get("toName", ""),
                    kind=kind,
                    values=tuple(v.get("value", "") for v in child.iter(value_tag)),
                    multiple=multiple,
                    repeated=repeated,
                )
            else:
                walk(child, repeated or child.tag == "Repeater")

    walk(root, False)
    return found


def instructions_html() -> str:
    """The annotation guidelines' label lists, shown as the project's instructions (generated, deterministic)."""

    def items(rows: list[tuple[str, str]]) -> str:
        return "<ul>" + "".join(f"<li><b>{escape(a)}</b>: {escape(b)}</li>" for a, b in rows) + "</ul>"

    parts = [
        "<h3>Entities</h3>",
        "<p>Flat, no nesting, maximal official name. Select the text, then the label.</p>",
        items([(e.label, e.definition + " E.g. " + ", ".join(e.examples) + ".") for e in schema.ENTITY_TYPES]),
        "<p>Never an entity: " + escape("; ".join(schema.NOT_ENTITIES)) + ".</p>",
        f"<h3>Stance toward: {escape(schema.STANCE_TARGET)}</h3>",
        f"<p>({escape(schema.STANCE_TARGET_FR)}). One stance per paragraph, and one for the whole document.</p>",
        items([(s.label, s.definition) for s in schema.STANCE_LABELS_INFO]),
        "<h3>Topics (at least one)</h3>",
        f"<p>{escape(schema.TOPIC_RULE)}</p>",
        items([(t.label, t.covers) for t in schema.TOPICS]),
    ]
    return "\n".join(parts) + "\n"
