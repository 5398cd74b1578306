"""The Label Studio labeling config, generated from :mod:`coopnum.schema`.

One task per document, data ``{"doc_id", "title", "paragraphs": [{"text"}],
"para_offsets": [[start, end]]}``. Document-level choices hang on a ``Text``
outside the ``Repeater`` (Label Studio needs an object there); each paragraph
gets its own text, entity labels and a required stance choice, so Submit is
blocked until every paragraph has a stance. NER offsets in results are relative
to the paragraph (and in UTF-16 code units: :mod:`coopnum.labelstudio` converts).
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from coopnum import schema

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
        '  <Header value="$title"/>',
        '  <Text name="doc" value="$doc_id"/>',
        f'  <Header value={quoteattr("Stance toward: " + schema.STANCE_TARGET)} size="5"/>',
        '  <View style="display: flex; gap: 2em">',
        *[("  " + x) for x in _choices("stance", "doc", stance, "single-radio", True)],
        "  </View>",
        '  <Header value="Topics (at least one)" size="5"/>',
        *_choices("topics", "doc", topics, "multiple", True),
        '  <Repeater on="$paragraphs" indexFlag="{{idx}}">',
        '    <View style="border-top: 1px solid #ccc; padding-top: 0.5em">',
        '      <Text name="p_{{idx}}" value="$paragraphs[{{idx}}].text" granularity="word"/>',
        '      <Labels name="ner_{{idx}}" toName="p_{{idx}}">',
        *[("  " + x) for x in entity_lines],
        "      </Labels>",
        *[("  " + x) for x in _choices("pstance_{{idx}}", "p_{{idx}}", stance, "single-radio", True)],
        "    </View>",
        "  </Repeater>",
        "</View>",
    ]
    return "\n".join(lines) + "\n"
