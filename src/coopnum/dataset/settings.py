"""Publication settings: the one place that names the hub repository, the licences and the release year.

Nothing else configures them (``coopnum publish --repo-id`` takes the repository for an upload), so the
card, the datasheet and ``croissant.json`` read them from here instead of repeating literals.
"""

from __future__ import annotations

from dataclasses import dataclass

PRETTY_NAME = "coopnum: French news on Russia's international digital cooperation"
HUB_REPO_ID = "coopnum/coopnum"  # the hub dataset repository the release is published to
HUB_ENDPOINT = "https://huggingface.co"
RELEASE_YEAR = 2026  # for the citation; the build reads no clock (builds are byte-identical)


def hub_url(repo_id: str = HUB_REPO_ID) -> str:
    return f"{HUB_ENDPOINT}/datasets/{repo_id}"


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
