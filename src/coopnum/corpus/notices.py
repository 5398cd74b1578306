"""More one-pattern line rules (met first in heldout10), in the form of :data:`~coopnum.corpus.widgets.WIDGETS`
(rule, description, pattern, longest line it may match): the widgets of app shares, Q&A explainers and fact-check
pages, a repository record's fields, a portal's and a bulletin's notices, a ticker's items. :mod:`~coopnum.corpus.rules`
tries them after the older widgets, so a line one of those already removes keeps its rule; each names a kind of
furniture, never the text of one page."""

from __future__ import annotations

_Q = "['’]"  # straight or typographic apostrophe
# an arrow, a triangle or a geometric sign opening a button (« ↻ Partager », « ▸ Afficher la réponse »)
_SIGN = "[\u2190-\u21ff\u2900-\u297f\u2295-\u229f\u2300-\u23ff\u25a0-\u25ff\u2700-\u27bf+−-]"

NOTICES: tuple[tuple[str, str, str, int], ...] = (
    (
        "accordion_control",
        "a Q&A widget's expand and collapse buttons (« Tout déplier ⊕ Tout replier ⊖ », « ▸ Afficher la réponse »)",
        rf"^(?:{_SIGN}\s*)?(?:(?:(?:tout )?(?:déplier|replier|déployer|dérouler|enrouler)(?: tout)?"
        r"|(?:afficher|masquer|cacher|voir|lire) (?:la |les |le )?(?:réponses?|détails?|développement))"
        rf"\s*(?:{_SIGN}\s*)?)+$",
        60,
    ),
    (
        "question_counter",
        "a step counter of an explainer or a quiz (« Question 2 sur 5 », « Étape 3/4 »)",
        r"^(?:question|étape|volet|partie|chapitre|fiche)\s+(?:n°\s?)?\d{1,2}\s*(?:sur|/)\s*\d{1,2}$",
        30,
    ),
    (
        "sign_button",
        "a share or save button opened by a sign (« ↻ Partager », « ⤴ Enregistrer »)",
        rf"^{_SIGN}\s*(?:partager|partagez|repartager|republier|imprimer|enregistrer|envoyer|copier le lien)\b.{{0,25}}$",
        45,
    ),
    (
        "app_toast",
        "an app's notification toast (« Notifications activées ✓ Vous serez alerté … »)",
        r"^notifications? (?:activées?|désactivées?)\b|\bvous serez (?:alertée?s?|avertie?s?|prévenue?s?|notifiée?s?)\b",
        200,
    ),
    (
        "reader_appeal",
        "a question to the reader and a call (« Vous aimez X ? Notez-nous … », « Vous êtes Y ? Publiez … »)",
        r"^vous (?:êtes|avez|aimez|appréciez|souhaitez|voulez|cherchez)\b[^?]{0,80}\?\s+(?-i:[A-ZÀ-Ý])\w*(?:ez|ons)\b",
        300,
    ),
    (
        "subscribe_box",
        "a newsletter's subscribe box in running words (« Merci de lire X ! Abonnez-vous gratuitement … »)",
        r"^merci de (?:lire|nous lire|suivre|votre lecture)\b|\babonnez-vous (?:gratuitement|dès maintenant|pour)\b",
        300,
    ),
    (
        "method_link",
        "a link to a site's method or charter (« Pourquoi ce verdict ? Voir notre méthodologie »)",
        r"\b(?:voir|lire|consulter|découvrir) (?:notre|nos|la) (?:méthodologie|méthode|charte)\s*$",
        100,
    ),
    (
        "media_placeholder",
        "a bracketed placeholder for a picture or a video (« [Capture d'écran du message, floutée] »)",
        rf"^\[(?:capture d{_Q}écran|captures? d{_Q}écran|image|photo|vidéo|infographie|illustration|graphique|carte"
        r"|document|audio)\b[^\]]{0,150}\]$",
        180,
    ),
    (
        "usefulness_poll",
        "a usefulness poll (« Cette explication a-t-elle été utile ? 👍 👎 »)",
        r"\b(?:a-t-(?:il|elle)|ont-(?:ils|elles)) été utiles?\b",
        120,
    ),
    (
        "rating_badge",
        "a fact-check's verdict badge or rating scale (« VERDICT : FAUX », « ●●○○○ »)",
        r"^(?:notre )?verdict\s*:\s*[^.!?]{1,40}$|^[●○★☆◉◯]{3,}",
        80,
    ),
    (
        "transparency_notice",
        "a fact-checker's or publisher's transparency notice (« X est signataire d'une charte … », corrections)",
        rf"\b(?:est|sommes) (?:signataires?|membres?) (?:d{_Q}une?|de la|du|de l{_Q}) (?:charte|code)\b"
        r"|\bsi vous (?:pensez|estimez|constatez|relevez)\b[^.]{0,80}\berreur\b",
        400,
    ),
    (
        "donation_appeal",
        "a call for donations (« X est un média indépendant financé par ses lecteurs. Faites un don. »)",
        r"\bfaites un don\b|\bsoutenez-nous\b|\bfinancée? par (?:ses|nos) lect(?:eurs|rices)\b",
        250,
    ),
    (
        "page_disclaimer",
        "a page's disclaimer (« Avertissement : … », « … reproduites à titre indicatif », « ne constitue pas une "
        "position officielle »)",
        r"^(?:avertissement|avis de non-responsabilité|clause de non-responsabilité)\s*:"
        rf"|\b(?:publiée?s?|reproduite?s?|fournie?s?|communiquée?s?|donnée?s?) à titre (?:purement )?(?:indicatif|informatif|d{_Q}information)\b"
        r"|\bne constitue (?:pas|en aucun cas) (?:une|un) (?:position officielle|avis juridique|conseil)\b",
        400,
    ),
    (
        "premium_lock",
        "a premium lock (« 🔒 Le dossier complet est réservé aux abonnés Premium. Essai gratuit 14 jours. »)",
        r"^[\U0001f512\U0001f510]|\b(?:abonnés?|abonnements?|offres?|comptes?|membres?) premium\b"
        r"|\bessai gratuit(?: de)? \d+ jours\b",
        250,
    ),
    (
        "archive_notice",
        "a page's archive notice (« Les transcriptions sont conservées sept jours », « Pour toute demande d'archive »)",
        r"\b(?:sont|est|restent?) (?:conservée?s?|disponibles?|accessibles?|consultables?) (?:pendant )?"
        r"(?:\d+|sept|huit|quinze|trente) jours\b|\bpour toute demande d['’](?:archives?|extraits?)\b",
        250,
    ),
    (
        "making_note",
        "a note on how the piece was made (« Cet entretien a été réalisé en arabe et traduit par la rédaction. »)",
        r"^(?:cet|cette|ce) (?:entretien|interview|article|enquête|reportage|texte|podcast)\s+a été (?:réalisée?"
        r"|traduite?|relue?|conduite?|menée?|enregistrée?)\b",
        250,
    ),
    (
        "ticker_item",
        "a ticker's hour-stamped item (« 09:00 — SOCIÉTÉ : … »): the ticker, not the story it may repeat",
        r"^\d{1,2}\s?[:h]\s?\d{2}\s*[-–—|·]\s*(?-i:[A-ZÀ-Ý]{3,}(?:[ -][A-ZÀ-Ý]{2,})*)\s*:\s\S",
        200,
    ),
    (
        "record_field",
        "a repository record's field (« Type de document : … », « DOI : … », « Citer : … », « Licence : CC BY »)",
        r"^(?:type de (?:document|publication|dépôt)|conférence|colloque|doi|pour citer (?:cet|ce|cette) \w+"
        r"|citer(?: ce document| cet article)?|référence bibliographique|licence|consultations|téléchargements"
        r"|date de (?:dépôt|soutenance)|hal id|url pérenne)\s*:\s*\S",
        400,
    ),
    (
        "affiliation",
        "an author's affiliation under a paper's title (« 2 Institut d'études …, Ville, Pays »)",
        r"^\d{1,2}\s+(?:université|universidad|university|institut|laboratoire|centre|école|faculté|département"
        r"|académie|unité)\b[^.!?]{0,150}$"
        # the authors with their affiliations' numbers (« Anne Martin 1, Paul Roy 2 »)
        r"|^(?-i:[A-ZÀ-Ý][\w'’-]+(?: [A-ZÀ-Ý][\w'’-]+){1,3} ?\d{1,2}(?:,\d{1,2})*\*?(?:, | et |$)){2,}$",
        300,
    ),
    (
        "practical_info",
        "an event's practical information (« Hébergement : des tarifs préférentiels … »)",
        r"^(?:hébergement|hôtels?|accès|transports?|restauration|parking)\s*:.{0,200}"
        r"\b(?:tarifs?|réserv\w*|code|navettes?|partenaires?)\b",
        300,
    ),
    (
        "see_all_link",
        "a link to a whole list (« Voir tous les intervenants », « Afficher toutes les sessions »)",
        r"^(?:voir|afficher|découvrir) (?:tous|toutes) (?:les|nos)\b[^.!?]{0,40}$",
        60,
    ),
    # met first in heldout11: a thread's pasted article, a student paper, an NGO page, council minutes, an edition
    (
        "end_marker",
        "a poster's or a page's marker closing a pasted text (« Fin de l'article. », « Fin de l'extrait »)",
        rf"^[\[(]?\s*fin (?:de l{_Q}article|de l{_Q}extrait|du texte|de la dépêche|de la citation)(?: collée?)?\s*[.!]?\s*[\])]?$",
        40,
    ),
    (
        "edit_note",
        "a poster's note on an edit of the post (« Edit : … », « EDIT 2 : … »)",
        r"^(?:edit|édit|edited|màj)(?:\s?\d)?\s*:\s*\S",
        200,
    ),
    (
        "update_note",
        "a note that the page was updated or corrected (« Cette analyse a été mise à jour le … pour … »)",
        r"^(?:cet|cette|ce) (?:article|analyse|page|texte|note|dépêche|communiqué|billet|enquête) a été "
        r"(?:mise? à jour|modifiée?|corrigée?|actualisée?|complétée?)\b",
        300,
    ),
    (
        "familiar_appeal",
        "a call to the reader said « tu » (« Tu veux écrire pour nous ? … », a student paper's or a club's)",
        rf"^(?:tu (?:veux|voudrais|souhaites|aimes|as envie|es intéressée?)|envie d{_Q}(?:écrire|rejoindre))\b[^?]{{0,100}}\?",
        400,
    ),
    (
        "translation_credit",
        "a translation credit (« Traduit de l'arabe par le service … », « Traduction : … »)",
        rf"^(?:(?:traduit|traduite|adapté|adaptée) (?:de l{_Q}|du |de la |de l{_Q}original )\w+(?: par\b[^.!?]{{0,80}})?"
        r"|traduction\s*:\s*[^.!?]{1,60})\.?$",
        160,
    ),
    (
        "prev_next_link",
        "a link to the previous or next item (« Point précédent : n° 13 — … », « Épisode suivant : … »)",
        r"^(?:point|article|séance|épisode|chapitre|page|billet|sujet|message|dossier|numéro|fiche)s? "
        r"(?:précédente?|suivante?)\s*:\s*\S",
        200,
    ),
    (
        "authority_notice",
        "which version is authoritative (« Seule la version signée fait foi », minutes, decisions, translations)",
        r"\b(?:seule la version|seul le texte|seule la traduction)\b[^.!?]{0,60}\bfait foi\b",
        300,
    ),
)
