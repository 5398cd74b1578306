"""Wrapped paragraphs, fact boxes, sign-up boxes and the site's name (corpus/wrapping.py, corpus/boxes.py,
corpus/layout.py): invented pages, each checked against the same page without the feature."""

from __future__ import annotations

import textwrap

from coopnum.corpus.clean import clean_document
from coopnum.corpus.lines import split_lines
from coopnum.corpus.wrapping import continues, wrapped_prose
from coopnum.text.textmap import normalise_line, text_of

from .test_clean import EVERY_CASE, Case, kept_line_numbers, line_scores

DOC = "0000000000000000"
TITLE = "Coopération numérique entre le Togo et l’Estonie"
# One paragraph cut at a page's width, a word split by a hyphen, as a PDF extraction gives it.
WRAPPED = [
    "Le ministère de l’Économie numérique informe le public de la signature, ce lundi à Lomé, d’un",
    "accord entre les deux gouvernements relatif à l’identité numérique et à la formation des agents",
    "publics, en présence de l’ambassadeur extraordinaire et plénipoten-",
    "tiaire de la République d’Estonie.",
]
BODY = (
    "Le programme, financé pour moitié par un fonds européen, doit former deux cents agents publics "
    "d’ici la fin de l’année prochaine."
)


def kept(raw: str) -> list[str]:
    """The kept lines, as written in ``raw`` (the audit holds them normalised)."""
    by_norm = {text_of(normalise_line(t, 0, len(t))): t for t in raw.splitlines()}
    return [by_norm[a.text] for a in clean_document(raw, DOC).audit if a.action in ("kept", "trimmed")]


def test_a_line_cut_inside_a_sentence_continues_on_a_lower_case_line() -> None:
    assert continues(WRAPPED[0], WRAPPED[1])
    assert continues(WRAPPED[2], WRAPPED[3])  # a hyphenated word split over two lines
    assert not continues(WRAPPED[3], "le lendemain, les délégations ont visité le centre de données de Lomé")  # ends
    assert not continues("Repères clés", "accord entre les deux gouvernements")  # a label is not cut at page width
    assert not continues(WRAPPED[0], "Accord entre les deux gouvernements")  # a new sentence


def test_no_line_alone_is_prose_but_the_block_is() -> None:
    assert wrapped_prose(WRAPPED) == [True] * 4
    assert wrapped_prose(["Accueil Actualités Économie Numérique Sport Culture Vidéos Podcasts", "contact"]) == [
        False,
        False,
    ]


def test_a_wrapped_paragraph_anchors_the_article_and_keeps_the_title() -> None:
    raw = (
        "\n".join(["RÉPUBLIQUE TOGOLAISE", "COMMUNIQUÉ", TITLE, "", *WRAPPED, "", "Fait à Lomé, le 3 mars 2025"]) + "\n"
    )
    doc = clean_document(raw, DOC)
    assert doc.title == TITLE
    assert kept(raw) == [TITLE, *WRAPPED]
    # the same lines joined into one are kept the same way: the block is what counts
    joined = raw.replace("\n".join(WRAPPED), " ".join(WRAPPED).replace("plénipoten- tiaire", "plénipotentiaire"))
    assert clean_document(joined, DOC).title == TITLE


def test_a_fact_box_after_the_last_paragraph_is_article_text() -> None:
    box = ["En chiffres", "2019 : ouverture du centre de Lomé.", "200 agents formés chaque année."]
    raw = "\n".join([TITLE, BODY, "", *box, "", "Tags : Togo · Estonie · Numérique"]) + "\n"
    assert kept(raw) == [TITLE, BODY, *box]
    # a heading with a single line under it is no box: the footer rules decide it, as before
    lone = "\n".join([TITLE, BODY, "", box[0], box[1], "", "Tags : Togo · Estonie"]) + "\n"
    assert "En chiffres" not in kept(lone)


def test_a_sign_up_box_in_the_article_goes_with_its_button() -> None:
    promo = [
        "Encadré",
        "Forum annuel — « Identités numériques » — 4 juin 2025, Lomé. Inscriptions ouvertes.",
        "S’inscrire",
    ]
    raw = "\n".join([TITLE, BODY, "", *promo, "", BODY]) + "\n"
    assert kept(raw) == [TITLE, BODY, BODY]


def test_the_sites_name_is_no_title() -> None:
    raw = "\n".join(["Atelier Numérique — Centre d’études", BODY, "© Atelier Numérique 2025 · Mentions légales"]) + "\n"
    doc = clean_document(raw, DOC)
    assert doc.title is None and doc.outlet == "Atelier Numérique"
    other = raw.replace("© Atelier Numérique", "© Maison Globe")  # another site's name: the line is the title
    assert clean_document(other, DOC).title == "Atelier Numérique — Centre d’études"


PAGE_WIDTH = 90
# Floors (measured when written, rounded down): every committed fixture hard-wrapped at PAGE_WIDTH columns, as
# a PDF extraction or a fixed-width dump would give it. Before wrapped paragraphs were read, recall was 0.17
# (heldout4) to 0.91 (heldout) per set; the figures are printed with -s. Precision 0.92 since heldout12 joined
# (0.9267 with it, 0.9315 without: its pages' furniture lines, cut at the page width, leave pieces that no rule
# knows, h12 alone 0.89); with heldout13 0.9202 (0.9271 without it, h13 alone 0.79: the same cause, its notices
# and housekeeping turns are sentences that the line rules take whole but not cut in pieces), then 0.9276 / 0.9855
# once a linked block's joined text is judged by the line rules (corpus.wrapped_rules; 0.9319 without heldout13,
# h13 alone 0.84). heldout15 and heldout16 joined with the fix15 rules: 0.9218 / 0.9836 (0.9277 / 0.9859 without
# them, so the sets before hold their floor; h15 alone 0.8076 / 0.9514, h16 0.9671 / 0.9888; with the cleaner before
# fix15 all the sets would score 0.9131 / 0.9788): h15's furniture in prose cut in pieces, and its lists' items cut
# from their lead-in. heldout17 and heldout18 joined with the fix17 rules: 0.9219 / 0.9833 (the sets before 0.9231 /
# 0.9836, 0.9218 / 0.9836 with the cleaner before fix17; h17 alone 0.9310 / 0.9712, h18 0.8895 / 0.9877; the cleaner
# before fix17 gives h17 0.8497 / 0.9353, h18 0.8013 / 0.7669), so the floor holds. heldout19 and heldout20 joined
# with the fix19 rules: 0.9222 / 0.9815 (the sets before 0.9250 / 0.9831, so they hold the floor they had; h19 alone
# 0.9062 / 0.9764, h20 0.8992 / 0.9640; the cleaner before fix19 gives all the sets 0.9103 / 0.9813, h19 0.8357 /
# 0.9764, h20 0.8379 / 0.9550): a last paragraph's pieces cut at a hyphen (« … de l'ex- » / « URSS. … ») are not
# read as one block, and once the lines under the share row go they are the footer's, so the recall floor is 0.981.
# heldout21 and heldout22 joined with the fix21 rules: 0.9256 / 0.9806 (the sets before 0.9224 / 0.9815, so they hold
# the floor they had; h21 alone 0.9792 / 0.9593, h22 0.9196 / 0.9887): h21's long paragraphs cut in pieces lose
# pieces read as furniture, so the recall floor is 0.980.
# heldout25 to heldout28 joined with the fix25 rules: 0.9197 / 0.9810 (the sets before 0.9259 / 0.9820, 0.9252 /
# 0.9820 with the cleaner before fix25, so they hold the floor they had; h25 alone 0.8626 / 0.9630, h26 0.9007 /
# 0.9769, h27 0.7730 / 0.9662, h28 0.9675 / 0.9868; the cleaner before fix25 gives the four 0.8454 / 0.9644):
# their footers' lines cut in pieces are short lines the footer-island rule does not read as one run, so the
# precision floor is 0.919.
WRAPPED_FLOORS = (0.919, 0.980)


def _hard_wrapped(case: Case) -> tuple[str, set[int]]:
    """The raw text with every line over PAGE_WIDTH (but the title) cut at the width, and the 1-based numbers
    of the lines that hold article text."""
    raw_lines = [case.raw[s:e].strip() for s, e, _, _ in split_lines(case.raw)]
    _, wanted = line_scores(case)
    title_no = min(wanted) if case.expected["title"] else None
    out: list[str] = []
    wanted_out: set[int] = set()
    for no, t in enumerate(raw_lines, start=1):
        pieces = [t] if len(t) <= PAGE_WIDTH or no == title_no else textwrap.wrap(t, PAGE_WIDTH)
        for piece in pieces:
            out.append(piece)
            if no in wanted:
                wanted_out.add(len(out))
    return "\n".join(out) + "\n", wanted_out


def test_fixtures_cut_at_a_page_width_keep_their_article() -> None:
    tp = fp = fn = 0
    for case in EVERY_CASE:
        raw, wanted = _hard_wrapped(case)
        doc = clean_document(raw, case.name)
        kept = kept_line_numbers(doc)
        tp, fp, fn = tp + len(kept & wanted), fp + len(kept - wanted), fn + len(wanted - kept)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"\nfixtures hard-wrapped at {PAGE_WIDTH} columns: precision={precision:.4f} recall={recall:.4f}")
    assert precision >= WRAPPED_FLOORS[0] and recall >= WRAPPED_FLOORS[1]


def test_fixtures_cut_at_a_page_width_clean_idempotently() -> None:
    """A block is read without the lines the layout removes, so the clean text has the same blocks."""
    for case in EVERY_CASE:
        first = clean_document(_hard_wrapped(case)[0], case.name)
        again = clean_document(first.text, case.name)
        assert (again.text, again.title) == (first.text, first.title), case.name
