"""Publication settings: the one place that names the repositories, the licences, the release date and the gate.

Nothing else configures them (``coopnum publish --repo-id`` takes the repository for an upload), so the
card, the datasheet and ``croissant.json`` read them from here instead of repeating literals.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

PRETTY_NAME = "coopnum: French news on Russia's international digital cooperation"
HUB_REPO_ID = "coopnum/coopnum"  # the hub dataset repository the release is published to
HUB_ENDPOINT = "https://huggingface.co"
# The source repository (code, corpus/raw, annotations): what the card links to for files the hub
# repository does not hold. Change it here when the repository moves.
REPOSITORY_URL = "https://github.com/coopnum/coopnum"
REPOSITORY_BRANCH = "main"
# The date of this release, set when releasing: the build reads no clock (builds are byte-identical).
RELEASE_DATE = datetime.date(2026, 12, 2)
RELEASE_YEAR = RELEASE_DATE.year  # for the citation
TAKEDOWN_CONTACT = f"an issue at {REPOSITORY_URL}/issues, titled 'takedown: <document id>'"


def hub_url(repo_id: str = HUB_REPO_ID) -> str:
    return f"{HUB_ENDPOINT}/datasets/{repo_id}"


def source_url(path: str) -> str:
    """The URL of a file or folder of the source repository (``corpus/raw/``, ``src/coopnum/schema.py``)."""
    kind = "tree" if path.endswith("/") else "blob"
    return f"{REPOSITORY_URL}/{kind}/{REPOSITORY_BRANCH}/{path}"


@dataclass(frozen=True)
class Licence:
    name: str  # as the card writes it
    spdx: str | None  # None: no licence (third-party copyright)
    url: str | None
    covers: str  # what part of the release it applies to


ANNOTATIONS = Licence(
    "CC BY 4.0",
    "CC-BY-4.0",
    "https://creativecommons.org/licenses/by/4.0/",
    "the annotations (entity offsets and labels, stances, topics)",
)
CODE = Licence("MIT", "MIT", "https://opensource.org/licenses/MIT", "the code that builds the dataset")
TEXTS = Licence(
    "third-party copyright, not licensed",
    None,
    None,
    "the article texts: the work of their publishers, not licensed to the maintainers; redistributed for "
    "non-commercial research on language technology",
)
LICENCES = (ANNOTATIONS, CODE, TEXTS)

# The hub release is gated by default: a user accepts these terms (and fills in the fields) before
# the files download. The texts are not licensed to the maintainers, so access is for research only.
GATED = True
GATED_PROMPT = (
    "The article texts in this dataset are the work of their publishers and are not licensed to the "
    "maintainers; they are shared for non-commercial research on language technology only. The annotations "
    f"are under {ANNOTATIONS.name}. By requesting access you agree to use the texts for research only, not to "
    "redistribute them, and to delete them if a rights holder asks for their removal (takedown requests: "
    f"{TAKEDOWN_CONTACT})."
)
GATED_FIELDS: dict[str, object] = {
    "Name": "text",
    "Affiliation": "text",
    "Email (for takedown notices)": "text",
    "I will use the article texts for non-commercial research only": "checkbox",
    "I will not redistribute the article texts and will delete them on a takedown request": "checkbox",
}
