"""The single source of truth for every label in coopnum.

The Label Studio labeling config (:mod:`coopnum.lsconfig`), the Hugging Face
``datasets.Features`` (:mod:`coopnum.features`), the card's label tables
(:mod:`coopnum.card`) and the guidelines' label lists are all generated from
the constants below.  This module imports nothing from the rest of the package.

Label order is part of the published format (ClassLabel ids are positions in
these tuples): append new labels at the end, never reorder.
"""

from __future__ import annotations

from dataclasses import dataclass

SCHEMA_VERSION = "1.0.0"
LANGUAGE = "fr"  # BCP-47


@dataclass(frozen=True)
class EntityType:
    label: str
    name: str
    definition: str
    examples: tuple[str, ...]
    conll: str  # the CoNLL-2003 class this type projects to


ENTITY_TYPES: tuple[EntityType, ...] = (
    EntityType(
        "PER",
        "person",
        "A named person, real or fictional: full name or surname, without title or function "
        "(« M. Peskov » → « Peskov »).",
        ("Dmitri Peskov", "Jack Ma", "Alexey Andreev"),
        "PER",
    ),
    EntityType(
        "ORG",
        "organisation",
        "A named organisation: company, ministry, agency, university, association, media outlet, "
        "international body. Maximal official name.",
        ("Alibaba", "Ministère de l'Industrie et du Commerce", "CCI France Russie"),
        "ORG",
    ),
    EntityType(
        "LOC",
        "location",
        "A named place: country, city, region, continent, street, building. Countries and cities "
        "are LOC also when they stand for a government (« Moscou pourrait ouvrir son marché »).",
        ("Russie", "Moscou", "Afrique", "Saint-Pétersbourg"),
        "LOC",
    ),
    EntityType(
        "EVENT",
        "event",
        "A named event: forum, fair, summit, conference, exhibition, with its edition when part of the name.",
        ("Forum économique oriental", "GITEX Africa 2025"),
        "MISC",
    ),
    EntityType(
        "MISC",
        "miscellaneous",
        "Other named things: products, platforms, programmes, strategies, labels, laws, brands.",
        ("AliExpress", "Maroc Digital 2030", "Made in Russia"),
        "MISC",
    ),
)

ENTITY_LABELS: tuple[str, ...] = tuple(e.label for e in ENTITY_TYPES)

# What is never an entity, whatever the type (stated once here, shown in the
# guidelines and checked by validation).
NOT_ENTITIES: tuple[str, ...] = (
    "demonyms and nationality adjectives (« russe », « les Français »)",
    "titles and functions (« M. », « président », « ministre »)",
    "dates, times, numbers, amounts",
    "leading determiners and surrounding punctuation or quotation marks",
)

# CoNLL-2003 classes and IOB2 tags in the order of the `conll2003` dataset on the
# hub, so models trained on it read our `ner_tags` ids unchanged.
CONLL_LABELS: tuple[str, ...] = ("PER", "ORG", "LOC", "MISC")
CONLL_NER_TAGS: tuple[str, ...] = (
    "O",
    "B-PER",
    "I-PER",
    "B-ORG",
    "I-ORG",
    "B-LOC",
    "I-LOC",
    "B-MISC",
    "I-MISC",
)
CONLL_PROJECTION: dict[str, str] = {e.label: e.conll for e in ENTITY_TYPES}


def iob2_tags(labels: tuple[str, ...]) -> tuple[str, ...]:
    """IOB2 tag names for ``labels``: ``O`` then ``B-X, I-X`` per label, in order."""
    return ("O", *(f"{p}-{label}" for label in labels for p in ("B", "I")))


FINE_NER_TAGS: tuple[str, ...] = iob2_tags(ENTITY_LABELS)

# Stance, SemEval-2016 Task 6 convention: the stance of the text toward a fixed target.
STANCE_TARGET = "Russia's international cooperation in digital technology and the digital economy"
STANCE_TARGET_FR = "la coopération internationale de la Russie dans le numérique et l'économie numérique"


@dataclass(frozen=True)
class StanceLabel:
    label: str
    definition: str


STANCE_LABELS_INFO: tuple[StanceLabel, ...] = (
    StanceLabel(
        "FAVOR",
        "The text, or the source it reports without distancing itself, presents the target "
        "positively: as beneficial, desirable, successful or to be extended.",
    ),
    StanceLabel(
        "AGAINST",
        "The text presents the target negatively: as harmful, risky, failing, or to be limited.",
    ),
    StanceLabel(
        "NONE",
        "Neutral or no evaluation of the target, or the target is not discussed.",
    ),
)
STANCE_LABELS: tuple[str, ...] = tuple(s.label for s in STANCE_LABELS_INFO)
STANCE_LEVELS: tuple[str, ...] = ("paragraph", "document")


@dataclass(frozen=True)
class IptcTopic:
    code: str
    label: str


@dataclass(frozen=True)
class Topic:
    label: str
    covers: str
    iptc: tuple[IptcTopic, ...]
    note: str = ""
    # Lower-case French word stems that a paragraph about the topic almost always contains.
    # Used only to warn about a topic no paragraph seems to support (never to assign one).
    cues: tuple[str, ...] = ()


# IPTC Media Topic codes never change; their labels and parents do, and some are
# retired.  The codes below are the design card's; they have not yet been
# checked against an official vocabulary file on this machine (no network), so
# the release is recorded as unverified rather than invented.
IPTC_SCHEME = "http://cv.iptc.org/newscodes/mediatopic/"
# The excerpt of the vocabulary the topics may use: code -> (label, retired). Taken from the design
# card, NOT checked against an IPTC release file (none can be fetched here); the validator refuses a
# topic code outside it or retired in it, so a change to TOPICS cannot slip in an unpinned code.
IPTC_PINNED: dict[str, tuple[str, bool]] = {
    "medtop:20000225": ("computing and information technology", False),
    "medtop:20000373": ("international trade", False),
    "medtop:20000638": ("international relations", False),
    "medtop:20000337": ("transport", False),
    "medtop:20000627": ("data protection policy", False),
    "medtop:20000229": ("computer security", True),
    "medtop:07000000": ("health", False),
    "medtop:05000000": ("education", False),
    "medtop:20000735": ("scientific research", False),
    "medtop:20001158": ("start-up and entrepreneurial business", False),
    "medtop:20001172": ("small and medium enterprise", False),
}
IPTC_VOCABULARY_RELEASE = "unverified (codes from the design card, 2026)"

TOPICS: tuple[Topic, ...] = (
    Topic(
        "digital_economy",
        "IT sector, digital transformation, e-commerce, digital services",
        (IptcTopic("medtop:20000225", "computing and information technology"),),
        cues=(
            "numériq",
            "digital",
            "technolog",
            "informatiq",
            " it ",
            "internet",
            "en ligne",
            "logiciel",
            "cloud",
            "données",
            "intelligence artificielle",
            "e-commerce",
            "commerce électronique",
            "plateforme",
            "plate-forme",
            "innovation",
        ),
    ),
    Topic(
        "trade_investment",
        "exports, market access, foreign investment, trade fairs, business partnerships",
        (IptcTopic("medtop:20000373", "international trade"),),
        cues=(
            "export",
            "import",
            "march",
            "commerc",
            "investiss",
            "salon",
            "stand",
            "pavillon",
            "partenariat",
            "entreprise",
            "affaires",
            "chiffre d",
        ),
    ),
    Topic(
        "international_relations",
        "state-to-state cooperation, diplomacy, geopolitics, sanctions",
        (IptcTopic("medtop:20000638", "international relations"),),
        cues=(
            "coopération",
            "bilatéra",
            "diplomat",
            "gouvernement",
            "ministre",
            "ministère",
            "sanction",
            "relations",
            "partenaire",
            "délégation",
            "ambassad",
        ),
    ),
    Topic(
        "smart_city_transport",
        "urban digital services, mobility, transport, logistics",
        (IptcTopic("medtop:20000337", "transport"),),
        "IPTC has no smart-city topic; mapped to transport.",
        cues=(
            "ville",
            "urbain",
            "transport",
            "mobilit",
            "logistiq",
            "vélo",
            "voiture",
            "trottinette",
            "smart city",
            "intelligentes",
        ),
    ),
    Topic(
        "cybersecurity_sovereignty",
        "data protection, cybersecurity, digital sovereignty",
        (IptcTopic("medtop:20000627", "data protection policy"),),
        "medtop:20000229 (computer security) is retired; not used.",
        cues=(
            "cybersécurité",
            "sécurité",
            "souveraineté",
            "protection des données",
            "infrastructure critique",
            "autonomie",
        ),
    ),
    Topic(
        "health",
        "health care, medicine, public health",
        (IptcTopic("medtop:07000000", "health"),),
        cues=("santé", "médic", "pharma", "hôpita", "patient", "clinique"),
    ),
    Topic(
        "education_research",
        "universities, training, research, innovation clusters",
        (
            IptcTopic("medtop:05000000", "education"),
            IptcTopic("medtop:20000735", "scientific research"),
        ),
        cues=(
            "universit",
            "formation",
            "recherche",
            "étudiant",
            "enseignement",
            "école",
            "scientifiq",
            "compétences",
            "cluster",
        ),
    ),
    Topic(
        "sme_startups",
        "SMEs, startups, entrepreneurship",
        (
            IptcTopic("medtop:20001158", "start-up and entrepreneurial business"),
            IptcTopic("medtop:20001172", "small and medium enterprise"),
        ),
        cues=("pme", "petites et moyennes", "startup", "start-up", "entrepreneur", "jeunes pousses"),
    ),
)
TOPIC_LABELS: tuple[str, ...] = tuple(t.label for t in TOPICS)
TOPIC_RULE = "A topic applies when at least one full paragraph of the article is about it."

# Paragraph kinds produced by cleaning.
PARAGRAPH_KINDS: tuple[str, ...] = ("title", "body", "question")

# Dataset splits, by document.
SPLITS: tuple[str, ...] = ("train", "validation", "test")


def topic(label: str) -> Topic:
    """The topic named ``label``; ``KeyError`` names the unknown label."""
    for t in TOPICS:
        if t.label == label:
            return t
    raise KeyError(f"unknown topic {label!r}; known: {', '.join(TOPIC_LABELS)}")
