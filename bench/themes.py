"""`python -m bench themes [--scale N]`: how well and how fast themes gather one cause.

1. Quality on the labelled set (bench/_themes_labelled.py, ~500 problems of known causes):
   pairwise precision and recall of the candidate groups (a pair of problems put in one group is
   right when they share a cause), for jieba's words and, as the baseline in the same run,
   character pairs without a tokenizer.
2. Speed of the nightly grouping at N problems (default 100,000): the labelled problems repeated
   with other details and numbers, vectorised and grouped as the nightly job does (the database
   read is not included: it is one indexed range scan).
"""

from __future__ import annotations

import argparse
import itertools
import random
import resource
import time

from themes.similarity import CUT, LOOSE, NEIGHBOURS, Vectors, document

from ._themes_labelled import COMPANIES, labelled_set


def pairs(groups) -> set[tuple[int, int]]:
    return {pair for g in groups for pair in itertools.combinations(sorted(g), 2)}


def quality(by: str) -> tuple[float, float, int, float]:
    data = labelled_set()
    start = time.perf_counter()
    vectors = Vectors.of([document(t, d) for _, t, d in data], by=by)
    groups = vectors.groups()
    seconds = time.perf_counter() - start
    causes: dict[str, list[int]] = {}
    for i, (cause, _t, _d) in enumerate(data):
        causes.setdefault(cause, []).append(i)
    truth, found = pairs(causes.values()), pairs(groups)
    right = len(truth & found)
    return right / max(len(found), 1), right / len(truth), len(groups), seconds


def synthetic(n: int) -> list[str]:
    rng = random.Random(7)
    base = labelled_set()
    docs = []
    for i in range(n):
        _cause, title, description = base[i % len(base)]
        noise = f"{rng.choice(COMPANIES)}{rng.randint(1, 999)}号 第{rng.randint(1, 52)}周"
        docs.append(document(title, f"{description}{noise}"))
    return docs


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench themes")
    parser.add_argument("--scale", type=int, default=100_000)
    args = parser.parse_args(argv)
    print(f"grouping: loose links ≥ {LOOSE}, k = {NEIGHBOURS}, average linkage cut at {CUT}\n")
    print(f"{'tokens':<22}{'precision':>10}{'recall':>8}{'groups':>8}{'seconds':>9}")
    for by, label in (("chars", "character pairs"), ("words", "jieba words (used)")):
        p, r, g, s = quality(by)
        print(f"{label:<22}{p:>10.3f}{r:>8.3f}{g:>8d}{s:>9.1f}")
    docs = synthetic(args.scale)
    start = time.perf_counter()
    vectors = Vectors.of(docs)
    vectorised = time.perf_counter() - start
    groups = vectors.groups()
    total = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\nnightly grouping at {args.scale:,} problems: {vectorised:.0f} s to vectorise, "
        f"{total:.0f} s in all, {len(groups):,} groups, peak memory {peak:.0f} MB"
    )
