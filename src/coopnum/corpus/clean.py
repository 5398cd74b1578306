"""Clean one scraped article: remove boilerplate, normalise, extract metadata.

:func:`clean_document` is pure (a string in, a :class:`CleanDocument` out). It
decides the fate of every raw line with named rules (:data:`RULES`), keeps an
audit record per line, and an :class:`~coopnum.textmap.OffsetMap` from the clean
text back to the raw text.

How a document is read (layout features, not seed-specific strings):

1. Every line is normalised (:mod:`coopnum.textmap`) and offered to the line
   rules in :data:`~coopnum.corpus.rules.LINE_RULES` order; the first that
   matches removes it (or, for a trim rule, removes a prefix and lets the rest go on); a line
   holding Markdown markup is first judged as its reader sees it (:mod:`~coopnum.corpus.markup`), and lines
   that a page width cut from one are judged joined too (:mod:`~coopnum.corpus.wrapped_rules`).
   With corpus-level evidence (:mod:`~coopnum.corpus.recurring`), a line that no rule
   removed and that recurs across documents of the same outlet is removed next.
2. A list heading ("Lire aussi :", "Tags :") with nothing after it removes the
   short, headline-like lines that follow it, up to the next prose line.
3. *Prose* is a line of at least 12 words ending a sentence, or of at least 40
   words, or a line of a paragraph cut over several lines whose joined text is prose
   (:mod:`~coopnum.corpus.wrapping`). Lines before the first prose line form the header: the last of them
   with at least 3 words is the title; the lines above it are labels (removed), and below
   it only a subtitle (≥18 words) or a lead ending a sentence (≥6 words) is kept; the site's
   own name (as its © footer gives it) is never the title. Lines
   after the last prose line form the footer: an agency signature is removed, and three or
   more headline-like lines there are another article list (removed); a fact box right
   after the last paragraph is article text (:mod:`~coopnum.corpus.boxes`).
   Lines of a furniture *shape* whatever their wording (:mod:`~coopnum.corpus.shapes`:
   field stamps, link rows, contact lines, capitalised names, reader prompts) are removed
   with the line rules and the layout, and the footer keeps only lines that end a statement.
4. A small learned model (:mod:`~coopnum.corpus.line_model`) vetoes the kept lines it is
   confident are furniture, and is consulted so that no furniture-shaped line is taken for
   the title.
5. Every other line is a paragraph; one ending with a question mark is an
   in-article (interview) question.

The pieces live in: :mod:`~coopnum.corpus.document` (what cleaning gives),
:mod:`~coopnum.corpus.lines` (the raw text as lines), :mod:`~coopnum.corpus.features`
(prose, headline-like), :mod:`~coopnum.corpus.dates`, :mod:`~coopnum.corpus.rules`
(the line rules), :mod:`~coopnum.corpus.layout` (the layout decisions) and
:mod:`~coopnum.corpus.furniture` (furniture told by its place: ads, image tables, banners, signatures,
running heads) and :mod:`~coopnum.corpus.markup` (Markdown left in a scrape).
"""

from __future__ import annotations

from pathlib import Path

from coopnum.corpus import (
    acronyms,
    answers,
    bios,
    boxes,
    closing_bars,
    contents,
    footer_islands,
    furniture,
    header_places,
    item_runs,
    layout,
    letter_sections,
    line_model,
    markup,
    outlets,
    pagekinds,
    postings,
    product_boxes,
    text_heads,
    wrapped_rules,
    wrapping,
)
from coopnum.corpus import sources as corpus_sources
from coopnum.corpus.document import CleanDocument, LineDecision, Paragraph
from coopnum.corpus.features import QUESTION_END, words
from coopnum.corpus.layout import LAYOUT_RULES
from coopnum.corpus.lines import Line, drop_prefix, restore, snapshot, split_lines
from coopnum.corpus.recurring import LineEvidence, RecurringLines, remove_recurring
from coopnum.corpus.rules import LINE_RULES, Match, Rule
from coopnum.errors import CleaningError, CoopnumError
from coopnum.text.textmap import OffsetMap, Piece, normalise_line, text_of

QUESTION_MAX_WORDS = 40

# Every rule an audit record can name: the line rules in the order they are tried, then the layout ones.
_RECURRING = Rule(
    "recurring_line",
    "a line that documents of the same outlet share (corpus-level evidence; the count is in the audit)",
)
_LINE_MODEL = Rule(
    line_model.RULE,
    "a kept line that is not prose, whose shape a small learned model judges furniture (p ≥ its threshold)",
)
RULES: tuple[Rule, ...] = (
    *(Rule(r.name, r.description) for r in LINE_RULES),
    _RECURRING,
    *LAYOUT_RULES,
    *furniture.FURNITURE_RULES,
    *header_places.COMMENT_LINK_RULES,
    *header_places.TAGLINE_RULES,
    *contents.CONTENTS_RULES,
    *letter_sections.LETTER_RULES,
    *bios.BIO_RULES,
    *answers.ANSWER_RULES,
    *pagekinds.PAGE_RULES,
    *closing_bars.CLOSING_BAR_RULES,
    *product_boxes.PRODUCT_BOX_RULES,
    *footer_islands.FOOTER_ISLAND_RULES,
    _LINE_MODEL,
)


def _read_lines(raw: str) -> list[Line]:
    return [
        Line(no, s, e, (ns, ne), pieces := normalise_line(raw, s, e), text_of(pieces))
        for no, (s, e, ns, ne) in enumerate(split_lines(raw), start=1)
    ]


def _apply_line_rules(line: Line, raw: str) -> str | None:
    """Decide ``line`` by the first matching line rule; return the item rule a heading opens."""
    raw_line = raw[line.raw_start : line.raw_end]
    plain = markup.reader_text(line.text)
    if plain is not None:  # a marked-up line is first judged as its reader sees it (corpus.markup)
        m = _first_removal(plain)
        if m is not None:
            _record(line, m)
            line.decide("removed", m.rule)
            return m.list_items
    trimmed = False
    for rule in LINE_RULES:
        m = rule.test(line.text, raw_line)
        if m is None:
            continue
        _record(line, m)
        if m.trim_to is not None:
            line.pieces = drop_prefix(line.pieces, m.trim_to)
            line.rule = m.rule
            trimmed = True
            continue  # the rest of the line is judged on its own
        line.decide("removed", m.rule)
        return m.list_items
    if trimmed and line.current:
        # the rest of a trimmed line is judged by every rule, as it will be when the clean text is cleaned again
        return _apply_rest_rules(line, line.current)
    return None


def _record(line: Line, m: Match) -> None:
    if m.outlet:
        line.extracted["outlet"] = m.outlet
    if m.date:
        line.extracted["date"] = m.date


def _first_removal(text: str) -> Match | None:
    """The first line rule that removes ``text`` as a whole (not a trim rule)."""
    for rule in LINE_RULES:
        m = rule.test(text, text)
        if m is not None and m.trim_to is None:
            return m
    return None


def _apply_rest_rules(line: Line, rest: str) -> str | None:
    plain = markup.reader_text(rest)
    m = (_first_removal(plain) if plain is not None else None) or _first_removal(rest)
    if m is None:
        return None
    line.decide("removed", m.rule)
    return m.list_items


def _apply_all_line_rules(lines: list[Line], raw: str) -> None:
    for line in lines:
        if not line.text:
            line.decide("blank", "blank")
        else:
            line.extracted["opens"] = _apply_line_rules(line, raw) or ""


def _decide_layout(lines: list[Line]) -> Line | None:
    """Steps 2 and 3 (see the module docstring); return the title line, if any."""
    item_runs.reopen_tables(lines)  # first: a table's rows read as link bars would make the text above a banner
    furniture.remove_other_script(lines)
    furniture.remove_pull_quotes(lines)
    furniture.remove_ad_blocks(lines)
    furniture.remove_table_markup(lines)
    furniture.remove_page_breaks(lines)
    wrapped_rules.remove_wrapped_furniture(lines)
    wrapping.mark_wrapped_paragraphs(lines)
    layout.remove_list_items(lines)
    contents.open_listed_article(lines)
    item_runs.mark_datelines(lines)  # before a dateline touching the byline stamp is read as that stamp's field
    layout.remove_captions_and_bylines(lines)
    layout.remove_button_boxes(lines)
    product_boxes.remove_product_boxes(lines)  # after the line rules took the rows, before the footer is read
    header_places.mark_comment_links(lines)  # a counter under the byline is no comments heading
    if not answers.mark_answers(lines):  # on a Q&A page the answers under « N réponses » are the text
        layout.cut_comment_section(lines)
    layout.cut_forum_replies(lines)
    furniture.remove_counted_threads(lines)
    pagekinds.remove_page_boxes(lines)
    pagekinds.remove_author_box(lines)
    layout.remove_name_labels(lines)
    wrapping.mark_wrapped_paragraphs(lines)  # again: without the lines removed since
    furniture.cut_after_initials_signature(lines)
    furniture.remove_top_banner(lines)
    furniture.remove_menu_labels(lines)
    header_places.remove_masthead_tagline(lines)
    letter_sections.remove_other_sections(lines)  # once the masthead went: nothing kept above the contents line
    # again without the top banner and masthead: a banner cut at a page width would link the title to the text
    wrapping.mark_wrapped_paragraphs(lines)
    bios.remove_closing_bios(lines)
    postings.mark_posting_header(lines)
    _close_the_text(lines)
    before = snapshot(lines)
    title_line, footer = _read_header(lines)
    # a running head is told by the labels removed above the title, so it is found once the header is read; but the
    # clean text, cleaned again, holds neither them nor it, and a header read with it there (joined to the line above
    # into a wrapped paragraph) may differ: the header is read again without the running heads until none is new
    while heads := furniture.running_heads(lines, title_line):
        restore(lines, before)
        for ln in heads:
            ln.decide("removed", "running_head")
        before = snapshot(lines)
        title_line, footer = _read_header(lines)
    layout.date_from_stamps_below(lines, title_line)
    header_places.date_from_publication_stamp(lines, title_line)
    boxes.mark_fact_box(lines)
    boxes.mark_data_lines(lines)
    text_heads.mark_text_heads(lines)  # a letter's salutation, a heading over the text's numbered list
    layout.mark_footer([ln for ln in footer if not ln.box])
    layout.cut_after_the_end(lines)
    return title_line


def _close_the_text(lines: list[Line]) -> None:
    """What lies under the article's end: under the share or tags row, the site's boxes, lists, letter; then the
    site's lines left between its footer's furniture. Before the footer is found, so a clean text, cleaned again
    without them, has the same footer."""
    if closing_bars.cut_after_closing_bars(lines):
        # again without what went: the author box and the closing bios are read only when no prose comes after them,
        # as the clean text, cleaned again, shows them (nor a paragraph the cut lines closed into wrapped prose)
        wrapping.mark_wrapped_paragraphs(lines)
        pagekinds.remove_author_box(lines)
        bios.remove_closing_bios(lines)
    if footer_islands.remove_footer_islands(lines):
        bios.remove_closing_bios(lines)  # again: the islands stood between the text and its closing bio


def _read_header(lines: list[Line]) -> tuple[Line | None, list[Line]]:
    """The title line (the header's labels and what is above the title removed) and the footer's lines."""
    wrapping.mark_wrapped_paragraphs(lines)  # without every line removed since it was last run: no stale block
    header, footer = layout.header_and_footer(lines)
    title_line = wrapping.title_goes_on(lines, layout.mark_header(header, layout.site_names(lines)))
    header_places.trim_leading_stamp(title_line)
    furniture.remove_above_title(lines, title_line)
    return title_line, footer


def _paragraph_kind(line: Line) -> str:
    t = line.current
    return line.kind or ("question" if words(t) <= QUESTION_MAX_WORDS and QUESTION_END.search(t) else "body")


def _assemble(kept: list[Line]) -> tuple[list[Piece], list[Paragraph]]:
    """The kept lines joined by their own line ends (as ``\\n``), and their paragraphs."""
    pieces: list[Piece] = []
    paragraphs: list[Paragraph] = []
    start = 0
    for i, ln in enumerate(kept):
        if i:
            pieces.append(Piece("\n", *kept[i - 1].newline))
            start += 1
        pieces.extend(ln.pieces)
        t = ln.current
        paragraphs.append(Paragraph(start, start + len(t), _paragraph_kind(ln)))
        start += len(t)
        ln.decide("trimmed" if ln.rule else "kept", ln.rule)
    return pieces, paragraphs


def _extracted_metadata(lines: list[Line]) -> dict[str, str]:
    extracted: dict[str, str] = {}
    for ln in lines:  # first statement wins
        for key, value in ln.extracted.items():
            extracted.setdefault(key, value)
    return extracted


def clean_document(raw: str, doc_id: str, recurring: RecurringLines | None = None) -> CleanDocument:
    """Clean the decoded raw text of one article (pure; see the module docstring). ``recurring``
    is the corpus's evidence for this document's outlet (:meth:`LineEvidence.view
    <coopnum.corpus.recurring.LineEvidence.view>`); without it no line is judged by recurrence."""
    lines = _read_lines(raw)
    _apply_all_line_rules(lines, raw)
    if recurring is not None:
        remove_recurring(lines, raw, recurring)
    title_line = _decide_layout(lines)
    line_model.veto_furniture(lines, title_line)
    # again once the veto has removed lines: the title may now touch the text it goes on into (corpus.wrapping)
    title_line = wrapping.title_goes_on(lines, title_line)
    kept = [ln for ln in lines if ln.open]
    if not kept:
        raise CleaningError(f"cleaning removed every line of document {doc_id!r}", doc_id=doc_id, field="text")
    pieces, paragraphs = _assemble(kept)
    extracted = _extracted_metadata(lines)
    return CleanDocument(
        doc_id=doc_id,
        text=text_of(pieces),
        paragraphs=tuple(paragraphs),
        title=title_line.current if title_line else None,
        outlet=acronyms.spelt_out(outlets.page_outlet(lines, extracted.get("outlet")), (ln.text for ln in lines)),
        date=extracted.get("date"),
        offset_map=OffsetMap.from_pieces(pieces, raw),
        audit=tuple(
            LineDecision(ln.no, ln.raw_start, ln.raw_end, ln.action or "kept", ln.rule, ln.text, ln.recurrence)
            for ln in lines
        ),
    )


def clean_source_file(
    corpus_dir: Path, source: corpus_sources.Source, evidence: LineEvidence | None = None
) -> CleanDocument:
    """Read one corpus document's raw file and clean it as the build does (with the corpus's
    recurring-line ``evidence`` when given); an error names the raw file."""
    raw = corpus_sources.read_raw(corpus_dir, source)
    try:
        return clean_document(raw.text, source.doc_id, evidence.view(source) if evidence is not None else None)
    except CoopnumError as e:
        e.file = e.file or str(corpus_dir / "raw" / source.file)
        raise
