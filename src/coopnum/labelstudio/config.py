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

# Control names: results are keyed by them (``{{idx}}`` is the 0-based paragraph index; the
# annotator sees paragraphs numbered from 1, from the task data's ``paragraphs[i].number``).
DOC_STANCE = "stance"
TOPICS = "topics"
ENTITIES = "ner_{{idx}}"
PARAGRAPH_STANCE = "pstance_{{idx}}"
DOC_OBJECT = "doc"
PARAGRAPH_OBJECT = "p_{{idx}}"

# Colour-blind-safe palette (Okabe–Ito), one per entity type in schema order.
ENTITY_COLOURS = ("#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#F0E442")
# One hotkey per entity label, the same in every paragraph: the key selects the label in every
# paragraph at once, and the next selection (in whichever paragraph) gets it. Letters, so that
# Label Studio's automatic digit hotkeys (1-9, which ran out after three paragraphs) are never used.
ENTITY_HOTKEYS = ("p", "o", "l", "e", "m")
# No hotkey for a paragraph's stance: in Label Studio 1.23.2 a Choice hotkey inside the Repeater sets that
# value in one paragraph (the last one, or the last clicked) and clears every other paragraph's stance
# (tried in chromium). The keyboard route is Tab between the stance boxes and Space, which needs check
# boxes (choice="single"): radio buttons are grouped by value across paragraphs, so Tab skips them.
PARAGRAPH_STANCE_CHOICE = "single"
# Shown on Submit when a paragraph has no stance: Label Studio does not put data in this message
# and numbers its Repeater from 0, so the message points at the red marks that carry the number.
STANCE_REQUIRED = "A paragraph has no stance yet: each one without a stance is marked in red with its number (¶)."
LABELING_ORDER = (
    "Entities: first the label (click it, or its key: "
    + ", ".join(f"{k} = {e.label}" for k, e in zip(ENTITY_HOTKEYS, schema.ENTITY_TYPES, strict=True))
    + "), then select the words; the selection is exact to the character. "
    "Under each paragraph, its stance (required): click it, or from the keyboard Tab (Shift+Tab back) "
    "from box to box, paragraph after paragraph, and Space to check. "
    "The document's stance and its topics come after the last paragraph."
)


def _attrs(**kwargs: str) -> str:
    return " ".join(f"{k}={quoteattr(v)}" for k, v in kwargs.items())


def _choices(name: str, to_name: str, values: list[tuple[str, str]], choice: str, required_message: str) -> list[str]:
    attrs = _attrs(name=name, toName=to_name, choice=choice, required="true", requiredMessage=required_message)
    lines = [f'  <Choices {attrs} showInline="true">']
    lines += [f"    <Choice {_attrs(value=v, hint=h)}/>" for v, h in values]
    lines.append("    </Choices>")
    return lines


def _indent(lines: list[str], by: str = "  ") -> list[str]:
    return [by + x for x in lines]


def _paragraph_block(stance: list[tuple[str, str]]) -> list[str]:
    """What the Repeater shows for each paragraph: its number, its text, its labels, its stance."""
    entity_lines = [
        f"  <Label {_attrs(value=e.label, background=c, hint=e.definition, hotkey=k)}/>"
        for e, c, k in zip(schema.ENTITY_TYPES, ENTITY_COLOURS, ENTITY_HOTKEYS, strict=True)
    ]
    return [
        '<View style="border-top: 1px solid #ccc; padding-top: 0.5em">',
        '  <Header value="$paragraphs[{{idx}}].number" size="6"/>',
        f'  <Labels name="{ENTITIES}" toName="{PARAGRAPH_OBJECT}" showInline="true">',
        *entity_lines,
        "  </Labels>",
        # no granularity: the selection is exact, so "l'Algérie" can be labelled "Algérie"
        f'  <Text name="{PARAGRAPH_OBJECT}" value="$paragraphs[{{{{idx}}}}].text"/>',
        *_choices(PARAGRAPH_STANCE, PARAGRAPH_OBJECT, stance, PARAGRAPH_STANCE_CHOICE, STANCE_REQUIRED),
        f'  <View visibleWhen="choice-unselected" whenTagName="{PARAGRAPH_STANCE}">',
        '    <Header value="$paragraphs[{{idx}}].missing" size="6" style="color: #b00020"/>',
        "  </View>",
        "</View>",
    ]


def label_config() -> str:
    """The labeling config XML (deterministic: same schema, same bytes)."""
    stance = [(s.label, s.definition) for s in schema.STANCE_LABELS_INFO]
    topics = [(t.label, f"{t.covers} — IPTC {', '.join(i.code for i in t.iptc)}") for t in schema.TOPICS]
    lines = [
        "<View>",
        # on top only the stale-task notice (if any), the document id and how labelling works
        '  <Header value="$notice" style="color: #b00020"/>',
        f'  <Text name="{DOC_OBJECT}" value="$doc_id"/>',
        f'  <Header {_attrs(value=LABELING_ORDER)} size="6"/>',
        '  <Repeater on="$paragraphs" indexFlag="{{idx}}">',
        *_indent(_paragraph_block(stance), "    "),
        "  </Repeater>",
        # after the text: the annotator decides on the whole article once it is read
        '  <View style="border-top: 3px solid #888; padding-top: 0.5em">',
        f'    <Header value={quoteattr("Document stance toward: " + schema.STANCE_TARGET)} size="5"/>',
        *_indent(_choices(DOC_STANCE, DOC_OBJECT, stance, "single-radio", "Choose the stance of the whole document.")),
        '    <Header value="Topics (at least one)" size="5"/>',
        *_indent(_choices(TOPICS, DOC_OBJECT, topics, "multiple", "Choose at least one topic.")),
        "  </View>",
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


def instructions_html(guidelines_markdown: str) -> str:
    """The project's instructions: how the screen works, then the full guidelines (``GUIDELINES.md``) as HTML.

    Deterministic: the same guidelines give the same bytes. Raw HTML in the guidelines is escaped.
    """
    from markdown_it import MarkdownIt  # a dependency of rich, already installed with coopnum

    how = (
        "<h2>How this screen works</h2>"
        f"<p>{escape(LABELING_ORDER)}</p>"
        "<p>Submit answers with a message until every paragraph, the document and the topics are set; "
        "paragraphs still without a stance say so in red, with their number.</p>"
    )
    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(guidelines_markdown)
    return how + "\n" + body
