"""Would a learned keep/remove classifier of raw lines reach the 0.95 target of issue #14 on an unseen outlet?
Prints figures; asserts nothing; changes nothing in the cleaner.

PYTHONPATH=src:. .venv/bin/python benchmarks/line_classifier_cv.py [--first-contact]  # also the old cleaners

Labels as tests/corpus/test_clean.py's ``line_scores`` matches them: a fixture's title and body lines are
article text (kept), every other non-blank raw line is furniture (removed). Every set under
tests/fixtures/cleaning is read; each ``heldoutN`` set with N >= 3 is held out in turn (trained on every other
set, scored on it) and, for the "past only" column, also scored by a model trained only on the sets written
before it. Micro line precision/recall of the kept lines, per set and pooled over the held-out sets.

Variants: "shape" is the committed veto's 29 line-shape features alone (coopnum.corpus.line_model); "B" adds
cheap context features (the line's own length, punctuation, capitals, digits, addresses, hashtags,
indentation, blank lines around it, recurrence inside the document; its position, the prose before and after
it, its distance to the longest prose run; its neighbours' shapes); "A" is B plus today's rule cleaner's own
decision on the line and its neighbours. Models: a logistic regression on standardised features and sklearn's
HistGradientBoostingClassifier; their settings are fixed here, not tuned on any held-out figure.

Today's cleaner was written against heldout3 ... heldout8 (its figure there is a floor, not an estimate); it is
blind on heldout9 only. A's training rows carry the rules' near-perfect decisions on the sets they were fitted to,
so A learns to trust them and is no first-contact figure on those sets either. --first-contact runs the cleaner
that first met each set (benchmarks/line_model.py's commits; today's for the newest): alone, as A's rule features,
and backed by B boost's veto (a line it keeps is removed when p(furniture) >= t).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from coopnum.corpus.clean import clean_document
from coopnum.corpus.features import SENTENCE_END, is_headline_like, is_prose, words
from coopnum.corpus.line_model import FEATURES, line_features, regions
from coopnum.corpus.lines import split_lines
from coopnum.corpus.wrapping import wrapped_prose
from coopnum.text.textmap import normalise_line, text_of

ROOT = Path(__file__).resolve().parent.parent
CLEANING = ROOT / "tests" / "fixtures" / "cleaning"
THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)  # a line is kept when p(furniture) < t
RUN_GAP = 2  # non-prose lines (subheadings, a caption) a prose run may hold between two prose lines
REPEATS = 5  # shuffles per feature family in the permutation importance
SEED = 0
VETO = (0.8, 0.9, 0.95)  # the veto removes a line the rules keep when p(furniture) >= one of these

_HASHTAG = re.compile(r"(?:^|\s)#\w")
_HANDLE = re.compile(r"(?:^|\s)@\w")
_URL = re.compile(r"https?://|www\.|\.\w{2,3}/")
_PUNCT = re.compile(r"[^\w\s]")
_BULLET = re.compile(r"^[-–—•▪·*>]|^\d+[.)]\s")


@dataclass
class Doc:
    group: str
    doc_id: str
    texts: list[str]  # every raw line, normalised as the cleaner reads it ("" for a blank line)
    indented: list[bool]
    wanted: set[int]  # raw line indices (0-based) of the article's lines (title and body)
    rules: set[int]  # raw line indices today's cleaner keeps

    @property
    def rows(self) -> list[int]:
        return [i for i, t in enumerate(self.texts) if t]


def group_order(name: str) -> tuple[int, int]:
    """The order the sets were written in: seeds, synthetic, heldout, heldout2, heldout3, …"""
    fixed = {"seeds": (0, 0), "synthetic": (1, 0), "heldout": (2, 1)}
    if name in fixed:
        return fixed[name]
    m = re.fullmatch(r"heldout(\d+)", name)
    return (2, int(m.group(1))) if m else (3, 0)


def groups() -> list[str]:
    found = {p.parent.name for p in CLEANING.glob("*/*.expected.json")}
    return sorted(found, key=group_order)


def wanted_lines(raw_lines: list[str], expected: dict[str, Any]) -> set[int]:
    """The fixture's lines matched in order, as test_clean.py's line_scores matches them (a stamp may be glued
    before or after the title)."""
    title = expected["title"]
    out: set[int] = set()
    cursor = 0
    for line in ([title] if title else []) + expected["body"]:
        for i in range(cursor, len(raw_lines)):
            s = raw_lines[i]
            if s == line or (line == title and (s.endswith(line) or s.startswith(line))):
                out.add(i)
                cursor = i + 1
                break
        else:
            raise ValueError(f"{expected['doc_id']}: fixture line not in the raw text: {line[:60]!r}")
    return out


def load(group: str) -> list[Doc]:
    docs = []
    for path in sorted((CLEANING / group).glob("*.expected.json")):
        expected = json.loads(path.read_text(encoding="utf-8"))
        raw_path = ROOT / "corpus" / "raw" / expected["file"] if group == "seeds" else path.parent / expected["file"]
        raw = raw_path.read_bytes().decode("utf-8")
        spans = split_lines(raw)
        raw_lines = [raw[s:e] for s, e, _, _ in spans]
        doc = clean_document(raw, expected["doc_id"])
        rules = {a.line - 1 for a in doc.audit if a.action in ("kept", "trimmed")}
        texts = [text_of(normalise_line(raw, s, e)) for s, e, _, _ in spans]
        indented = [bool(r) and r[:1].isspace() and bool(r.strip()) for r in raw_lines]
        stripped = [r.strip() for r in raw_lines]
        docs.append(Doc(group, expected["doc_id"], texts, indented, wanted_lines(stripped, expected), rules))
    return docs


# ---------------------------------------------------------------- features


def compact(t: str, prose: bool) -> list[float]:
    """A neighbour's shape, in a few numbers."""
    n = words(t)
    lettered = [w for w in t.split() if w[:1].isalpha()]
    return [
        1.0,
        math.log1p(n),
        float(prose),
        float(bool(SENTENCE_END.search(t))),
        float(is_headline_like(t)),
        sum(c.isdigit() for c in t) / max(1, len(t)),
        sum(w[0].isupper() for w in lettered) / max(1, len(lettered)),
        float(bool(_BULLET.match(t))),
    ]


COMPACT = ("exists", "log words", "prose", "ends a sentence", "headline-like", "figures", "capitalised", "bullet")
# fmt: off
OWN = (
    "log chars", "prose", "wrapped prose", "punctuation share", "commas", "upper-case letters share",
    "opens lower-case", "opens with a figure", "opens with a bullet", "mean word length", "has a url",
    "has a @handle", "has a #hashtag", "indented", "blank line before", "blank line after",
    "same text elsewhere in the document", "first two words elsewhere in the document",
)
POSITION = (
    "relative position", "log lines from the start", "log lines to the end", "first line", "last line",
    "prose words before (share)", "prose words after (share)", "in the longest prose run",
    "before the longest prose run", "after the longest prose run", "log distance to the longest prose run",
    "log distance to the nearest prose line", "document's prose line share", "log document lines",
)
# fmt: on
RULE = ("kept by the rules", "previous kept by the rules", "next kept by the rules", "document's rule-kept share")
NEIGHBOURS = ("prev2", "prev1", "next1", "next2")


def feature_names(variant: str) -> list[str]:
    names = [f"shape: {f}" for f in FEATURES]
    if variant == "shape":
        return names
    names += [f"own: {f}" for f in OWN] + [f"position: {f}" for f in POSITION]
    names += [f"{side}: {f}" for side in NEIGHBOURS for f in COMPACT]
    return names + ([f"rule: {f}" for f in RULE] if variant == "A" else [])


def longest_run(prose: list[bool], n_words: list[int]) -> tuple[int, int]:
    """(first, last) row of the prose run (gaps <= RUN_GAP lines) holding the most prose words; (-1, -1): none."""
    runs: list[list[int]] = []
    for j in (k for k, p in enumerate(prose) if p):
        if runs and j - runs[-1][-1] <= RUN_GAP + 1:
            runs[-1].append(j)
        else:
            runs.append([j])
    if not runs:
        return -1, -1
    best = max(runs, key=lambda run: sum(n_words[j] for j in run))
    return best[0], best[-1]


def doc_features(doc: Doc, variant: str, rules: set[int] | None = None) -> np.ndarray:
    """One row per non-blank raw line of ``doc`` (``rules``: the rule decisions to read, today's by default)."""
    rows = doc.rows
    texts = [doc.texts[i] for i in rows]
    wrapped = wrapped_prose(texts)
    prose = [w or is_prose(t) for t, w in zip(texts, wrapped, strict=True)]
    where = regions(texts, prose)
    n_words = [words(t) for t in texts]
    prose_words = [w if p else 0 for w, p in zip(n_words, prose, strict=True)]
    all_prose = max(1, sum(prose_words))
    first, last = longest_run(prose, n_words)
    prose_rows = [j for j, p in enumerate(prose) if p]
    same = Counter(texts)
    openers = Counter(" ".join(t.split()[:2]) for t in texts if words(t) >= 2)
    kept = doc.rules if rules is None else rules
    n = len(rows)
    before = 0
    out = []
    for j, (i, t) in enumerate(zip(rows, texts, strict=True)):
        x = line_features(t, where[j])
        if variant != "shape":
            x += own_features(doc, i, t, prose[j], wrapped[j], same[t], openers)
            dist = 0 if first <= j <= last else (first - j if j < first else j - last)
            nearest = min((abs(j - k) for k in prose_rows), default=n)
            x += [j / max(1, n - 1), math.log1p(j), math.log1p(n - 1 - j), j == 0, j == n - 1]
            x += [before / all_prose, (all_prose - before - prose_words[j]) / all_prose]
            x += [dist == 0, j < first, j > last, math.log1p(dist), math.log1p(nearest)]
            x += [sum(prose) / max(1, n), math.log1p(n)]
            for k in (j - 2, j - 1, j + 1, j + 2):
                x += compact(texts[k], prose[k]) if 0 <= k < n else [0.0] * len(COMPACT)
        if variant == "A":
            x += [i in kept, j > 0 and rows[j - 1] in kept, j + 1 < n and rows[j + 1] in kept]
            x += [sum(r in kept for r in rows) / max(1, n)]
        before += prose_words[j]
        out.append([float(v) for v in x])
    return np.array(out)


def own_features(doc: Doc, i: int, t: str, prose: bool, wrapped: bool, same: int, openers: Counter[str]) -> list[float]:
    letters = [c for c in t if c.isalpha()]
    split = t.split()
    opener = " ".join(split[:2])
    values = (
        math.log1p(len(t)),
        prose,
        wrapped,
        len(_PUNCT.findall(t)) / max(1, len(t)),
        min(t.count(","), 5) / 5,
        sum(c.isupper() for c in letters) / max(1, len(letters)),
        t[:1].islower(),
        t[:1].isdigit(),
        bool(_BULLET.match(t)),
        min(sum(len(w) for w in split) / max(1, len(split)), 15) / 15,
        bool(_URL.search(t)),
        bool(_HANDLE.search(t)),
        bool(_HASHTAG.search(t)),
        doc.indented[i],
        i > 0 and not doc.texts[i - 1],
        i + 1 < len(doc.texts) and not doc.texts[i + 1],
        same > 1,
        len(split) >= 2 and openers[opener] > 1,
    )
    return [float(v) for v in values]


# ---------------------------------------------------------------- models and scores

Model = Any  # an sklearn estimator with fit / predict_proba


def make(kind: str) -> Model:
    if kind == "logreg":
        return make_pipeline(StandardScaler(), LogisticRegression(C=0.5, max_iter=5000))
    return HistGradientBoostingClassifier(
        max_iter=300, learning_rate=0.05, max_leaf_nodes=15, min_samples_leaf=10, l2_regularization=1.0, random_state=0
    )


@dataclass
class Table:
    """Features and labels of every set, for one variant."""

    x: dict[str, np.ndarray]
    y: dict[str, np.ndarray]  # True: furniture


def table(data: dict[str, list[Doc]], variant: str) -> Table:
    x = {g: np.vstack([doc_features(d, variant) for d in docs]) for g, docs in data.items()}
    y = {g: np.array([i not in d.wanted for d in docs for i in d.rows]) for g, docs in data.items()}
    return Table(x, y)


def fit(tab: Table, train_on: Sequence[str], kind: str) -> Model:
    x = np.vstack([tab.x[g] for g in train_on])
    y = np.concatenate([tab.y[g] for g in train_on])
    return make(kind).fit(x, y)


def counts(keep: np.ndarray, furniture: np.ndarray, missing: int = 0) -> np.ndarray:
    """(tp, fp, fn) of the kept lines; ``missing``: article lines that are no row (none expected)."""
    return np.array([np.sum(keep & ~furniture), np.sum(keep & furniture), np.sum(~keep & ~furniture) + missing])


def pr(c: np.ndarray) -> str:
    tp, fp, fn = (int(v) for v in c)
    return f"{tp / max(1, tp + fp):.3f}/{tp / max(1, tp + fn):.3f}"


def rule_keep(docs: list[Doc], rules: dict[str, set[int]] | None = None) -> np.ndarray:
    return np.array([i in (rules[d.doc_id] if rules else d.rules) for d in docs for i in d.rows])


def logo(tab: Table, held: list[str], all_groups: list[str], kind: str, past: bool = False) -> dict[str, np.ndarray]:
    """p(furniture) of each held-out set's lines, trained without it (``past``: only on the sets before it)."""
    out = {}
    for g in held:
        train_on = [h for h in all_groups if h != g and (not past or group_order(h) < group_order(g))]
        out[g] = fit(tab, train_on, kind).predict_proba(tab.x[g])[:, 1]
    return out


def pooled(
    p: dict[str, np.ndarray], tab: Table, t: float, rules: dict[str, np.ndarray] | None = None, rescue: bool = False
) -> np.ndarray:
    """(tp, fp, fn) over the held-out sets when a line is kept at p(furniture) < t; with ``rules``: a line the
    rules keep and the model does not remove (or, ``rescue``, a line either keeps)."""
    c = np.zeros(3, dtype=int)
    for g in p:
        keep = p[g] < t
        if rules is not None:
            keep = (rules[g] | keep) if rescue else (rules[g] & keep)
        c += counts(keep, tab.y[g])
    return c


def main_table(data: dict[str, list[Doc]], held: list[str], all_groups: list[str]) -> dict[str, Any]:
    tabs = {v: table(data, v) for v in ("shape", "B", "A")}
    runs = {
        "shape LR": logo(tabs["shape"], held, all_groups, "logreg"),
        "B LR": logo(tabs["B"], held, all_groups, "logreg"),
        "B boost": logo(tabs["B"], held, all_groups, "boost"),
        "A LR": logo(tabs["A"], held, all_groups, "logreg"),
        "A boost": logo(tabs["A"], held, all_groups, "boost"),
        "B boost, past only": logo(tabs["B"], held, all_groups, "boost", past=True),
    }
    y = tabs["B"].y
    print("\nleave-one-set-out, kept when p(furniture) < 0.5; each cell line precision/recall (micro)")
    head = f"{'set':10} {'lines':>5} {'rules today':>12}" + "".join(f" {k:>18}" for k in runs)
    print(head)
    total_rules = np.zeros(3, dtype=int)
    totals = {k: np.zeros(3, dtype=int) for k in runs}
    for g in held:
        c_rules = counts(rule_keep(data[g]), y[g])
        total_rules += c_rules
        cells = ""
        for k, p in runs.items():
            c = counts(p[g] < 0.5, y[g])
            totals[k] += c
            cells += f" {pr(c):>18}"
        print(f"{g:10} {len(y[g]):>5} {pr(c_rules):>12}{cells}")
    print(
        f"{'pooled':10} {sum(len(y[g]) for g in held):>5} {pr(total_rules):>12}"
        + "".join(f" {pr(totals[k]):>18}" for k in runs)
    )
    return {"tabs": tabs, "runs": runs}


def sweep(runs: dict[str, dict[str, np.ndarray]], tab: Table, names: Sequence[str]) -> None:
    print("\nthreshold sweep, pooled over the held-out sets (kept when p(furniture) < t): precision/recall")
    print(f"{'t':>5}" + "".join(f" {k:>14}" for k in names))
    for t in THRESHOLDS:
        print(f"{t:>5}" + "".join(f" {pr(pooled(runs[k], tab, t)):>14}" for k in names))
    print("best precision at pooled recall >= 0.95 (threshold chosen on the held-out figures themselves: optimistic)")
    for k in names:
        found = [(float(t), pooled(runs[k], tab, float(t))) for t in np.linspace(0.05, 0.99, 95)]
        ok = [(t, c) for t, c in found if c[0] / max(1, c[0] + c[2]) >= 0.95]
        best = max(ok, key=lambda tc: tc[1][0] / max(1, tc[1][0] + tc[1][1]), default=None)
        print(f"  {k:14} " + (f"t={best[0]:.2f} P/R={pr(best[1])}" if best else "never reaches R 0.95"))


def combined(runs: dict[str, dict[str, np.ndarray]], data: dict[str, list[Doc]], tab: Table, held: list[str]) -> None:
    p, rules = runs["B boost"], {g: rule_keep(data[g]) for g in held}
    print("\ntoday's rules backed by the model (B boost, trained without the set), pooled over the held-out sets")
    print("(today's rules were fitted to every set but the newest: its row alone is a blind figure)")
    for t in (0.7, *VETO):
        print(f"  remove a kept line when p >= {t:<4}: {pr(pooled(p, tab, t, rules))}", end="")
        print(f"   {held[-1]} alone: {pr(counts(rules[held[-1]] & (p[held[-1]] < t), tab.y[held[-1]]))}")
    for t in (0.05, 0.1, 0.2):
        print(f"  keep back a removed line when p < {t:<4}: {pr(pooled(p, tab, t, rules, rescue=True))}")


def errors(p: dict[str, np.ndarray], tab: Table) -> None:
    """What B boost gets wrong at p < 0.5, pooled: by the line's shape (prose, word count)."""
    names = feature_names("B")
    prose, short = names.index("own: prose"), names.index("shape: words<=2")
    mid = names.index("shape: words 3-5"), names.index("shape: words 6-11")
    print("\nB boost's errors at p < 0.5, pooled: prose (the cleaner's test) / 1-2 words / 3-11 words / other")
    for label, furniture in (("article lines removed", False), ("furniture lines kept", True)):
        x = np.vstack([tab.x[g][((p[g] < 0.5) == furniture) & (tab.y[g] == furniture)] for g in p])
        n_prose = int(x[:, prose].sum())
        n_short = int((x[:, short] * (1 - x[:, prose])).sum())
        n_mid = int(((x[:, mid[0]] + x[:, mid[1]]) * (1 - x[:, prose])).sum())
        print(f"  {label:22} {len(x):>4}: {n_prose} / {n_short} / {n_mid} / {len(x) - n_prose - n_short - n_mid}")


def importance(tabs: dict[str, Table], held: list[str], all_groups: list[str]) -> None:
    rng = np.random.default_rng(SEED)
    for variant in ("B", "A"):
        tab = tabs[variant]
        names = feature_names(variant)
        families: dict[str, list[int]] = {}
        for k, n in enumerate(names):
            fam = n.split(":")[0]
            families.setdefault("neighbours" if fam in NEIGHBOURS else fam, []).append(k)
        models = {g: fit(tab, [h for h in all_groups if h != g], "boost") for g in held}
        base = np.sum([counts(models[g].predict_proba(tab.x[g])[:, 1] < 0.5, tab.y[g]) for g in held], axis=0)
        print(f"\nwhich features matter: variant {variant}, boosting, leave-one-set-out, pooled {pr(base)};")
        print(f"  a family's columns shuffled together over the held-out lines ({REPEATS} shuffles): mean P/R")
        for fam, cols in families.items():
            shuffled = []
            for _ in range(REPEATS):
                c = np.zeros(3, dtype=int)
                for g in held:
                    x = tab.x[g].copy()
                    x[:, cols] = x[rng.permutation(len(x))][:, cols]
                    c += counts(models[g].predict_proba(x)[:, 1] < 0.5, tab.y[g])
                shuffled.append(c)
            print(f"  {fam:10} ({len(cols):>2} features) shuffled: {pr(np.mean(shuffled, axis=0))}")
    tab = tabs["B"]
    lr = fit(tab, all_groups, "logreg")
    coef = lr[-1].coef_[0]
    order = np.argsort(-np.abs(coef))[:12]
    print("\nlogistic regression (B, every set, standardised features): largest weights (+: furniture)")
    for k in order:
        print(f"  {coef[k]:+.2f}  {feature_names('B')[k]}")


def first_contact(data: dict[str, list[Doc]], out: dict[str, Any], held: list[str], all_groups: list[str]) -> None:
    sys.path.insert(0, str(ROOT))  # the repository root, for `benchmarks.line_model`
    from benchmarks.line_model import FIRST_CONTACT, cleaner_at

    tabs, veto, past = out["tabs"], out["runs"]["B boost"], out["runs"]["B boost, past only"]
    print("\nthe cleaner that first met the set (line_model.py's commits; today's for the newest), B boost alone,"
          "\nthat cleaner's decisions as A's rule features (A trained on today's), and with B boost's veto:")  # fmt: skip
    commits = {held[-1]: "today", **FIRST_CONTACT}  # the newest set is blind to today's cleaner
    names = ["cleaner", "B boost alone", "B past only", "A logreg", "A boost", *(f"+ veto p>={t}" for t in VETO)]
    names.append("+ past veto .9")  # the veto trained only on the sets written before this one
    print(f"{'':10} {'commit':8}" + "".join(f" {k:>14}" for k in names))
    total = {k: np.zeros(3, dtype=int) for k in names}
    for g in held:
        commit = commits.get(g)
        if commit is None:
            print(f"{g:10} skipped: its first-contact cleaner was never committed")
            continue
        old = {d.doc_id: d.rules for d in data[g]}
        if commit != "today":
            old = {k: set(v["kept"]) for k, v in cleaner_at(commit, g).items()}
        x = np.vstack([doc_features(d, "A", old[d.doc_id]) for d in data[g]])
        y = tabs["A"].y[g]
        keep = rule_keep(data[g], old)
        c = {"cleaner": counts(keep, y), "B boost alone": counts(veto[g] < 0.5, y)}
        c["B past only"] = counts(past[g] < 0.5, y)
        for kind in ("logreg", "boost"):
            p = fit(tabs["A"], [h for h in all_groups if h != g], kind).predict_proba(x)[:, 1]
            c[f"A {kind}"] = counts(p < 0.5, y)
        c |= {f"+ veto p>={t}": counts(keep & (veto[g] < t), y) for t in VETO}
        c["+ past veto .9"] = counts(keep & (past[g] < 0.9), y)
        for k in names:
            total[k] += c[k]
        print(f"{g:10} {commit:8}" + "".join(f" {pr(c[k]):>14}" for k in names))
    print(f"{'pooled':10} {'':8}" + "".join(f" {pr(total[k]):>14}" for k in names))


def curve(tab: Table, held: list[str], all_groups: list[str]) -> None:
    rng = np.random.default_rng(SEED)
    print("\nlearning curve: B boost trained on k other sets drawn at random (3 draws per set), pooled, p < 0.5")
    for k in (2, 4, 6, 8, len(all_groups) - 1):
        c = np.zeros(3, dtype=int)
        for g in held:
            others = [h for h in all_groups if h != g]
            for _ in range(3 if k < len(others) else 1):
                pick = list(rng.choice(others, size=min(k, len(others)), replace=False))
                c += counts(fit(tab, pick, "boost").predict_proba(tab.x[g])[:, 1] < 0.5, tab.y[g])
        print(f"  k={k:>2}: {pr(c)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first-contact", action="store_true", help="also variant A on the first cleaners' decisions")
    args = parser.parse_args()
    # One thread: the boosting's OpenMP threads spin against each other on a shared, loaded machine (x10 slower)
    threadpool_limits(1)
    all_groups = groups()
    held = [g for g in all_groups if group_order(g)[0] == 2 and group_order(g)[1] >= 3]
    data = {g: load(g) for g in all_groups}
    n_rows = sum(len(d.rows) for docs in data.values() for d in docs)
    print(
        f"{n_rows} non-blank lines in {sum(map(len, data.values()))} documents of {len(all_groups)} sets; held out in turn: {', '.join(held)}"
    )
    out = main_table(data, held, all_groups)
    sweep(out["runs"], out["tabs"]["B"], ["shape LR", "B LR", "B boost", "A boost"])
    combined(out["runs"], data, out["tabs"]["B"], held)
    errors(out["runs"]["B boost"], out["tabs"]["B"])
    importance(out["tabs"], held, all_groups)
    curve(out["tabs"]["B"], held, all_groups)
    if args.first_contact:
        first_contact(data, out, held, all_groups)


if __name__ == "__main__":
    main()
