#!/usr/bin/env python3
"""Prints the labelling sample of a project's not-thread-safe findings.

    python3 bench/realcode/sample.py REPORT.json [K] [SEED]

Rule (README.md, "Sampling"): a project with at most 40 not-thread-safe
findings is labelled in full; otherwise K (default 20) findings are drawn with
random.Random(SEED) (default 20251201) from the findings sorted by their `id`.
"""
import json
import random
import sys

FULL_LIMIT = 40


def sample(findings, k=20, seed=20251201):
    bad = sorted((f for f in findings if f['verdict'] == 'not-thread-safe'), key=lambda f: f['id'])
    if len(bad) <= FULL_LIMIT:
        return bad
    return sorted(random.Random(seed).sample(bad, k), key=lambda f: (f['location']['file'], f['location']['line']))


if __name__ == '__main__':
    report = json.load(open(sys.argv[1]))
    k = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 20251201
    for f in sample(report['findings'], k, seed):
        loc = f['location']
        print(f"{f['id']}\t{f['check']}\t{f['symbol']}\t{loc['file']}:{loc['line']}\tcat {f['category']}")
