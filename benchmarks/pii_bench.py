"""Benchmark of the personal-data detector (not a test): time grows linearly with the text.

Run from the project root:

    .venv/bin/python benchmarks/pii_bench.py

For each kind of text (ordinary French prose with figures, a text dense in findings, digits only,
a long run of one letter, runs of parted letters, of spaced digits, of letters read as digits),
:func:`fac_eval.disclosure.pii.find_pii` is timed on 100 KB and on 1 MB, in this one run; the
table gives both times and their ratio (10 for a linear scan; the detector must stay near it,
so that a 1 MB testimony is read in seconds, never minutes).
"""

from __future__ import annotations

import random
import time

from fac_eval.disclosure import pii

IDS = [f"A{i:02d}" for i in range(1, 31)]
NAMES = ["Zoé Martin", "Zoé", "Martin"]


def prose(n: int) -> str:
    words = ("le la de des 12 500 € 2022 rue avenue né le point at a 06 12 34 merci "
             "accompagnement 88 % projet numérique l'équipe confiance").split()
    rnd = random.Random(1)
    out, size = [], 0
    while size < n:
        w = rnd.choice(words)
        out.append(w)
        size += len(w) + 1
    return " ".join(out)[:n]


def dense(n: int) -> str:
    unit = "Zoé 06 12 34 56 78, zoe [at] exemple [dot] fr, A 03. "
    return (unit * (n // len(unit) + 1))[:n]


KINDS = {
    "prose": prose,
    "dense": dense,
    "digits": lambda n: ("0123456789" * (n // 10 + 1))[:n],
    "one letter": lambda n: "a" * n,
    "a-a-a-": lambda n: ("a-" * (n // 2 + 1))[:n],
    "1 1 1 ": lambda n: ("1 " * (n // 2 + 1))[:n],
    "l2 o1 ": lambda n: ("l2 o1 " * (n // 6 + 1))[:n],
}


def timed(text: str) -> float:
    t = time.perf_counter()
    pii.find_pii(text, IDS, NAMES)
    return time.perf_counter() - t


def main() -> None:
    print(f"{'text':<12} {'100 KB (s)':>11} {'1 MB (s)':>9} {'ratio':>6}")
    for name, make in KINDS.items():
        small, big = timed(make(100_000)), timed(make(1_000_000))
        print(f"{name:<12} {small:>11.3f} {big:>9.3f} {big / small:>6.1f}")


if __name__ == "__main__":
    main()
