"""The line rules for marks a page or its copy leaves on a line of its own, met first in heldout14 to heldout16: a
row of counters (« 4 min · 87 lectures »), a marker in square brackets left by a save-as-text tool or an editor
(« [Encadré] », « [NOTE : … ] »), a photo's caption under a « [Photo] » label, a translation's credit
(« (Traduction : Name) »), a print issue's note (« Article paru dans le n° 112 de Revue »), a chart's controls and
axis, a digitised page's text-mode note and reuse terms, and a « rédigé par » credit. Pattern rules of the
form of :data:`~coopnum.corpus.widgets.WIDGETS`, tried last (a line an older rule takes keeps its rule); a translated
feed's original in another script is a page's matter (:func:`coopnum.corpus.furniture.remove_other_script`)."""

from __future__ import annotations

_COUNT = r"\d[\d\u00a0\u202f ]*\s?(?:min(?:utes?)?(?: de lecture)?|lectures?|vues?|commentaires?|réactions?|partages?)"

PAGE_MARKS: tuple[tuple[str, str, str, int], ...] = (
    (
        "counter_row",
        "a row of counters only (« 4 min · 1 032 lectures », « 87 vues | 5 commentaires »)",
        rf"^{_COUNT}(?:\s*[·|•]\s*{_COUNT})+$",
        80,
    ),
    (
        "rubric_counter",
        "a rubric, then a reading time or counter (« Innovation & santé · 5 min de lecture »), met in heldout22",
        rf"^[^·|•\d][^·|•]{{1,40}}\s[·|•]\s{_COUNT}$",
        80,
    ),
    (
        "media_teaser",
        "a video or podcast teaser with its length (« Vidéo - Notre essai du modèle X (3:12) »), met in heldout21",
        r"^(?:vidéo|podcast|audio|reportage vidéo)\s?[-–—:|]\s.{3,120}\(\d{1,2}:\d{2}(?::\d{2})?\)$",
        160,
    ),
    (
        "bracket_mark",
        "a marker in square brackets alone on its line (« [Encadré latéral] », « [NOTE : vérifier] »), not a note's number",
        r"^\[(?!\d{1,3}\])[^\[\]]{2,200}\]$",
        202,
    ),
    (
        "translation_credit",
        "a translation's credit (« (Traduction : Name — relecture : desk) », « Traduit du russe par Name »)",
        r"^\(?(?:traduction|adaptation française)\s?:\s.{2,80}\)?$|^\(?traduit d[ue]\s\S+ par\s.{2,60}\)?$",
        140,
    ),
    (
        "chart_control",
        "an interactive chart's instruction (« Cliquez sur les barres pour voir le détail »)",
        r"^(?:survolez|cliquez sur|touchez|passez (?:la souris|le curseur) sur) (?:les |la |le |l['’]|une? )?"
        r"(?:barres?|points?|courbes?|graphiques?|cartes?|zones?|secteurs?|pays|régions?)\b",
        120,
    ),
    (
        "axis_row",
        "a chart's axis labels, years only (« 2020 2021 2022 2023* »)",
        r"^(?:\d{4}\*?\s+){2,}\d{4}\*?$",
        80,
    ),
    (
        "copy_mode",
        "a digitised page's text-mode note (« Mode texte (OCR brut) · Voir l'image de la page »)",
        r"^(?:mode|version) (?:texte|image)\b.{0,80}\b(?:reconnaissance|OCR|non corrigée?|afficher l['’]image)",
        200,
    ),
    (
        "reuse_terms",
        "the terms of reuse of a page (« Reproduction autorisée pour un usage pédagogique »)",
        r"^(?:conditions d['’]utilisation\s?:\s?)?reproduction (?:autorisée|libre|permise)\b",
        200,
    ),
    (
        "written_by",
        "a credit naming who wrote the page (« Texte rédigé par M. Name, chargé de mission »)",
        r"^(?:(?:fiche|article|texte|note|dossier|page|document)\s)?(?:rédigée?s?|écrite?s?) par\s",
        200,
    ),
    (
        "issue_note",
        "a print issue's note (« Article paru dans le n° 112 de Revue », « Cet article paru dans le numéro 45 »)",
        r"^(?:(?:cet )?article )?(?:paru|publié) dans (?:le |notre )?(?:n°|numéro)\s?\d+(?:\s(?:de|d['’]|du)\s?.{2,50})?\.?$",
        120,
    ),
)

# tried with the page notes, before the post rules: a post's « [Flair] » label would take a photo label first
EARLY_MARKS: tuple[tuple[str, str, str, int], ...] = (
    (
        "photo_label",
        "a caption under a bracketed photo label (« [Photo] Le recteur, mardi, … »)",
        r"^\[(?:photos?|images?|illustrations?|vidéos?|infographies?)\]\s",
        400,
    ),
)
