"""The line rules that are one pattern each (widgets, labels, notices), as (rule, description, pattern,
longest line it may match); :mod:`~coopnum.corpus.rules` tries them in this order, case-insensitively."""

from __future__ import annotations

_Q = "['’]"  # straight or typographic apostrophe


WIDGETS: tuple[tuple[str, str, str, int], ...] = (
    ("listen_widget", "audio player prompt (« Écoutez … »)", r"^[ÉE]coute[rz]\b", 80),
    (
        "comment_widget",
        "comment prompts and comment-section furniture",
        rf"^(?:commenter|commentaires?|réagir|réagissez|laisser un commentaire|ajouter un commentaire"
        rf"|règles de conduite|\d+\s+commentaires?|soyez le premier à commenter|votre avis"
        rf"|votre adresse (?:e-?mail|de messagerie) ne sera pas publiée|connectez-vous pour commenter|répondre$"
        rf"|j{_Q}aime\b)",
        120,
    ),
    (
        "share_widget",
        "share, print and social buttons",
        r"^(?:partager|partagez|imprimer|envoyer (?:par|à)|facebook|twitter|linkedin|whatsapp|telegram"
        r"|e-?mail|courriel|copier le lien|ajouter à (?:mes|vos) favoris|enregistrer l['’]article|offrir l['’]article"
        r"|x|messenger|bluesky|threads)\b",
        80,
    ),
    (
        "short_url",
        "short-URL widgets and bare URL lines",
        r"^(?:url courte|lien court|lien permanent)\b|^https?://\S+$",
        200,
    ),
    (
        "follow_widget",
        "follow / subscribe prompts",
        rf"^(?:nous suivre|suivez-nous|suivre sur|abonnez-vous|s{_Q}abonner|inscrivez-vous|recevez notre|rejoignez)\b"
        r"|^suivre\s*[·•|-]|\b\d[\d\s.,]*\s*k?\s*(?:abonnés|followers)$",
        160,
    ),
    (
        "source_link",
        "links to the original article",
        rf"^(?:cliquez ici|lire la suite|lire l{_Q}article|voir l{_Q}article|voir la source|consulter la source"
        rf"|plus d{_Q}infos?$|voir la version originale|tous les (?:communiqués|articles) d(?:e|u|es)\b)\b",
        120,
    ),
    (
        "alt_text",
        "an image's alt text kept as a line (« Image : vue aérienne du campus »): a description, not a credit",
        r"^[\[(]?\s*(?:image|photo|illustration|visuel)\s*:\s*(?-i:[a-zà-ÿ])[^©/]{2,150}[\])]?$",
        180,
    ),
    (
        "photo_credit",
        "photo and illustration credits",
        r"^[(|\[]?\s*(?:©|(?:photo|photos|crédits?|illustration|image|source photo)\b.*?(?::|©|/|crédit))"
        r"|^(?-i:(?:PHOTO|PHOTOS|CRÉDIT|ILLUSTRATION)\b[^a-zà-ÿ]*)$"
        r"|^\|?\s*\([^()]{2,60}/[^()]{2,60}\)\s*\|?$",
        160,
    ),
    (
        "account_widget",
        "log-in and account links",
        rf"^(?:se connecter|connexion|s{_Q}inscrire|mon compte|créer un compte|espace (?:client|abonné)s?)\b"
        r"|\b(?:identifiant|mot de passe oublié)\b",
        80,
    ),
    (
        "reading_time",
        "reading-time notes",
        r"^(?:(?:temps de )?lecture(?: estimé)?\s*:?\s*)?\d+\s*min(?:utes?)?(?: de lecture)?\.?$",
        60,
    ),
    (
        "consent_banner",
        "cookie and privacy consent banners",
        r"\b(?:accepter et fermer|continuer sans accepter|personnaliser (?:mes|vos) choix|tout accepter|tout refuser"
        r"|gérer (?:mes|vos) (?:choix|préférences)|paramétrer les cookies|nous respectons votre vie privée)\b"
        r"|\ben poursuivant (?:votre )?navigation\b.{0,80}\bcookies?\b|\bacceptez l['’]utilisation (?:de|des) cookies\b"
        r"|\bcookies?\b.*\b(?:partenaires|consentement|accepter|paramétrer)\b|\butilis(?:e|ent|ons) des (?:cookies|traceurs|témoins)\b"
        r"|\bnos (?:\d+ )?partenaires (?:stockons|accédons|utilisons|traitons)\b",
        600,
    ),
    (
        "newsletter_widget",
        "newsletter sign-up boxes",
        rf"\bnewsletter\b|\binfolettre\b|^je m{_Q}inscris|\bdésinscrire\b|\bse désabonner\b|^recevez\b|^en vous inscrivant\b"
        rf"|dans votre boîte (?:mail|e-?mail|courriel|de réception)|^votre adresse (?:e-?mail|courriel)$",
        300,
    ),
    (
        "ad_label",
        "advertising and paywall labels",
        r"^[-–—*•\s]*(?:publicités?|publi-?informations?|publi-?reportages?|annonces?|contenu sponsorisé|sponsorisé"
        r"|abonnés?|réservé aux abonnés"
        r"|article réservé aux abonnés|premium)[-–—*•\s]*$",  # « — Publicité — »
        40,
    ),
    (
        "search_box",
        "a search field's placeholder (« Rechercher un article, un mot-clé… »)",
        r"^(?:rechercher|recherche|chercher)\b.{0,40}(?:…|\.\.\.)$"
        r"|^(?:rechercher|chercher) (?:sur|dans) (?:le site|ce site|l['’]archive|les archives|le catalogue)$",
        45,  # a placeholder is short; a quotation trailing off is longer
    ),
    (
        "player_control",
        "a media player's or reader account's button (« Ajouter à ma playlist », « Enregistrer dans mes favoris »)",
        r"^(?:ajouter|enregistrer|sauvegarder|retirer)\b.{0,25}\b(?:ma|mes|mon)\b[\w\s'’-]{0,20}$",
        60,
    ),
    (
        "production_credit",
        "a note crediting the page's making (« Transcription réalisée par la rédaction, … », « Reportage : A. Sall »)",
        r"^(?:transcription|traduction|adaptation|montage)\s+(?:réalisée?|assurée?|faite?)\s+par\b"
        # role labels of a report's crew, each followed by names (« Reportage : M. Diop – Montage : A. Sall »)
        r"|^(?:reportage|montage|images|réalisation|caméra|prise de vue|son|infographie|présentation|production)"
        r"\s*:\s*(?-i:[A-ZÀ-Ý])(?:[^.!?:]|(?<=\b[A-ZÀ-Ý])\.){0,50}"  # names, initials too (« M. Diop »)
        r"(?:\s[–—|·,-]\s*[^.!?:]{1,30}:\s*(?-i:[A-ZÀ-Ý])(?:[^.!?:]|(?<=\b[A-ZÀ-Ý])\.){0,50})*$",
        160,
    ),
    (
        "media_player",
        "a video or audio player's controls (« Vidéo suivante dans 5 s », « Activer le son », « Plein écran »)",
        r"^(?:lecture|pause|plein écran|quitter le plein écran|sous-titres?(?:\s*:.{0,20})?|(?:vidéo|épisode) suivante?\b.{0,20}"
        r"|prochaine vidéo\b.{0,20}|lecture automatique\b.{0,12}|passer (?:la publicité|l['’]annonce)\b.{0,12}"
        r"|reprendre la lecture|revoir la vidéo|(?:activer|couper|désactiver|rétablir) le son|vitesse de lecture\b.{0,12}"
        r"|(?:lire|regarder|lancer) la vidéo|durée\s*:\s*\d{1,2}:\d{2}(?::\d{2})?)$",
        45,
    ),
    (
        "interface_control",
        "a page's interface button (« Fermer la fenêtre de dialogue », « Agrandir l'image », « Ouvrir le menu »)",
        r"^(?:fermer|ouvrir|basculer|masquer|afficher|agrandir|réduire|quitter)\b[^.!?:]{0,30}"
        r"\b(?:menu|fenêtre|dialogue|image|photo|mode (?:sombre|clair|nuit)|panneau|volet|galerie|diaporama)$"
        # a lone button, and a slideshow's counter (« Diapositive 2 sur 5 », « Photo 3/8 »)
        r"|^(?:fermer|précédent|précédente|suivant|suivante|menu|retour)$"
        r"|^(?:diapositive|image|photo|slide|vue)\s+\d{1,2}\s*(?:sur|/)\s*\d{1,2}$",
        60,
    ),
    (
        "expand_link",
        "a truncated text's expand link, or a clipboard notice (« …voir plus », « Lien copié dans le presse-papiers »)",
        r"^(?:…|\.\.\.)\s*(?:voir|afficher|lire|en savoir) (?:plus|davantage|la suite)$"
        r"|^(?:lien|url|adresse) copiée?\b.{0,30}$|^copiée? dans le presse-papiers?\s*!?$"
        r"|^(?:voir|afficher|traduire) (?:la traduction|la publication|l['’]original)$",
        60,
    ),
    (
        "print_continuation",
        "a print page's continuation note (« (Suite en page 8) », « Suite de la page 7 », « Lire p. 4 »)",
        r"^[(\[]?\s*(?:suite|suite et fin|lire la suite|lire|voir)\s+(?:(?:en|à la|de la|page|p\.)\s*)+\d{1,3}\s*[)\]]?\.?$"
        r"|^[^.!?()]{1,40}\((?:suite|fin) (?:de la |en )?(?:page|p\.)\s*\d{1,3}\)$",
        60,
    ),
    (
        "print_imprint",
        "a newspaper's legal imprint (« Directeur de publication : … », « Dépôt légal n° … », « ISSN … »)",
        r"^(?:(?:directeur|directrice) (?:de (?:la )?publication|de la rédaction|général)\s*:|dépôt légal\s*(?::|n°)"
        r"|ISSN\s*:?\s*\d{4}-?\d{3}[\dX]\b)",
        250,
    ),
    (
        "post_age",
        "a social post's relative age stamp (« 3 sem. • Modifié • », « 2 j · 🌐 »)",
        r"^(?:il y a\s+)?\d{1,3}\s?(?:s|min|h|j|sem|mois|an|ans|jours?|semaines?|heures?|minutes?)\.?"
        r"(?:\s*[•·|]\s*(?:modifié|édité|publié)?)*\s*[•·|]?$"
        r"|^\d{1,2}(?:er)?\s+(?:janv|févr|mars|avr|mai|juin|juil|août|sept|oct|nov|déc)[a-zéû]*\.?"
        r"(?:\s+à\s+\d{1,2}\s?[:h]\s?\d{2})?\s*[•·|]\s*\S{0,3}$",
        40,
    ),
    (
        "forum_furniture",
        "a forum post's edit stamp and signature (« Dernière édition par … le …, édité 1 fois », « Signature : … »)",
        r"^(?:dernière )?(?:édition|modification)\s+par\b|^(?:message )?(?:édité|modifié)\s+(?:par|\d+\s+fois)\b"
        r"|^signature\s*:\s*(?!\d)"
        # a member's card and a thread's counters (« Membre depuis 2019 », « Réponses : 4 — Vues : 1 287 »)
        r"|^(?:membre depuis|inscrite? (?:le|depuis)|date d['’]inscription)\b|^(?:messages|réponses|vues|sujets)\s*:\s*\d",
        200,
    ),
    (
        "sponsored_line",
        "an advertising label glued to the ad's first line (« SPONSORISÉ — Produit »)",
        r"^(?:publicité|contenu sponsorisé|sponsorisé)\s*[-–—:]\s",
        200,
    ),
    ("hashtag_line", "a line of hashtags only (« #Russie #Mali »)", r"^#\w[\w-]*(?:\s+#\w[\w-]*)*$", 200),
    (
        "funding_notice",
        "funding and disclaimer notices (« produit avec le soutien financier de … », « décline toute responsabilité »)",
        r"^(?:ce contenu|cet article|ce reportage)\b.{0,40}\bavec le soutien (?:financier )?de\b"
        r"|\bdécline(?:nt)? toute responsabilité\b",
        250,
    ),
    ("share_prompt", "a prompt to share the article (« Partagez-le ! »)", r"\bpartagez-(?:le|la)\b", 160),
    ("social_handle", "a social-media handle alone (« @journaliste »)", r"^@\w{2,30}$", 32),
    (
        "author_box",
        "author boxes (« Journaliste au service … », « Voir tous ses articles »)",
        r"^(?:journaliste|rédact(?:eur|rice)|correspondante?|reporter)\b|^voir tous (?:ses|les) articles\b"
        r"|^(?:\S+ ){1,3}est (?:le |la |l['’]|une? )?(?:journaliste|rédact(?:eur|rice)|correspondante?|reporter)\b"
        r"|^(?:chercheu(?:r|se)|professeure?|enseignante?|maître de conférences|analyste|économiste|politologue"
        r"|consultante?|doctorante?|spécialiste|experte?|ancien(?:ne)?)\b[^.!?]{0,80}$",
        250,
    ),
    (
        "paywall",
        "paywall notices (« Il vous reste 71 % de cet article à lire », « La suite est réservée aux abonnés »)",
        r"^il vous reste \d+\s*%|^(?:la suite (?:de cet article )?est|cet article est|(?:article|contenu) réservée?)"
        r" (?:réservée? )?aux abonnés"
        rf"|^(?:pour )?lire la suite\b|^cet article vous est offert\b|^déjà abonné|^je m{_Q}abonne\b|^offre (?:découverte|d{_Q}essai|de bienvenue)\b",
        160,
    ),
    (
        "rights_notice",
        "reproduction and redistribution notices",
        r"^(?:toute )?(?:reproduction|rediffusion|redistribution)\b.{0,120}\b(?:interdite?s?|réservée?s?|autorisation)\b",
        300,
    ),
    (
        "editor_note",
        "editorial notes on the text (corrections, transcripts, « NDLR »)",
        r"^(?:corrigé|correction|rectificatif|erratum|transcription|note de la rédaction|ndlr|n\.d\.l\.r\.?)\s*:",
        300,
    ),
    (
        "disclaimer",
        "publisher's disclaimers (« Cette tribune n'engage que son auteur »)",
        rf"\bn{_Q}engagen?t? que (?:son|sa|ses|leurs?|l{_Q})\s*auteu?r|\bne reflètent? pas (?:nécessairement )?"
        rf"(?:la position|l{_Q}avis|les opinions)",
        300,
    ),
    (
        "promo_widget",
        "downloads and app promotions (« Livre blanc … | Télécharger », « Disponible sur Google Play »)",
        rf"^(?:livre blanc|téléchargez|télécharger)\b|\|\s*télécharger\s*$|\bdisponible sur (?:google play|l{_Q}app store)"
        # a sales call to action (« … — Demander une démo », « Réservez votre essai gratuit »)
        r"|\b(?:demande[rz]|réserve[rz]|obtene?[rz]) (?:une|un|votre) (?:démo|démonstration|devis|essai gratuit)\b",
        200,
    ),
    (
        "site_furniture",
        "skip links, site credits and error-report links",
        r"^(?:aller au contenu|passer au contenu|propulsé par|fièrement propulsé|signaler une erreur|retour en haut|haut de page|revenir en haut)\b",
        80,
    ),
    ("update_stamp", "update stamps", r"^(?:dernière )?mise à jour\b|^mis à jour\b|^actualisé\b|^modifié le\b", 120),
    (
        "view_counter",
        "bare numbers (view, like or share counters)",
        rf"^(?:(?:vu|lu)\s+)?\d[\d\s.,]*(?:\s*(?:vues?|lectures?|partages?|j{_Q}aime|fois))?"
        rf"(?:\s*[|•·-]?\s*\d+\s*min(?:utes?)?(?: de lecture)?)?$",
        40,
    ),
    ("tag_with_count", "a label followed by an item count in parentheses", r"^[^.!?]{2,100}\(\d+\)$", 110),
    ("related_link", "related-article and back links marked >> ► ▶ → ← ◀", r"^(?:>>|»»|►|▶|→|←|◀)\s*\S", 300),
    (
        "page_counter",
        "a page number of a PDF or print layout (« Page 1/2 », « 3 / 4 »), alone or closing a running footer",
        r"(?:^|\s)page\s+\d{1,3}\s?(?:/|sur)\s?\d{1,3}$|^\d{1,3}\s?/\s?\d{1,3}$"
        r"|^[-–—\s]*page\s+\d{1,3}\s?(?:/|sur)\s?\d{1,3}[-–—\s]*$",
        200,
    ),
    (
        "copy_notice",
        "a notice on how the copy was made: reader mode, machine translation, OCR, feed view, a wiki's page notices",
        r"^(?:cette page|cet article|ce document|ce contenu|article|document|vous consultez)\b.{0,120}?"
        r"\b(?:traduite?s? automatiquement|traduction automatique|traducteur automatique|mode lecture"
        r"|reconnaissance optique|OCR|numérisée?|flux (?:de syndication|RSS)|publiée? à l['’]origine"
        r"|extraite? (?:par|avec)|archivée?|n['’]est plus modifiable)\b"
        r"|^(?:la )?traduction automatique peut\b|^(?:la )?dernière modification de cette page\b"
        r"|\b(?:le )?contenu (?:est )?disponible sous (?:la )?licence\b",
        300,
    ),
    (
        "tagline",
        "a site's tagline under its name (« Le podcast de la géopolitique des technologies », « Le mensuel des … »)",
        r"^(?:le|la|l['’]|votre) (?:podcast|mensuel|hebdomadaire|quotidien|magazine|média|site|blog|portail|webzine)"
        r" (?:de la|de l['’]|des|du|de|d['’]|qui|pour)\b(?:\s*[^\s\d.!?:;,]+){1,5}$",
        70,
    ),
    (
        "press_contact",
        "a release's press-contact heading (« Contacts presse », « Relations médias : »)",
        r"^(?:contacts?|relations?) (?:presse|médias?)\s*:?$|^(?:service|attachée?s?) de presse\s*:?$",
        40,
    ),
    (
        "legal_notice",
        "a release's forward-looking-statements notice (« Ce communiqué contient des déclarations prospectives … »)",
        r"\b(?:déclarations|informations|énoncés) prospecti(?:ves|fs)\b",
        600,
    ),
)
