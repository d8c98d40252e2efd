#!/usr/bin/env python3
"""Precision of a scan's not-thread-safe verdicts against the hand labels.

    python3 bench/realcode/precision.py [REPORTS_DIR] [LABELS_YAML]

REPORTS_DIR holds PROJECT.json as written by scan.sh (default
bench/realcode/work/reports); LABELS_YAML defaults to bench/realcode/labels.yaml.

A label matches a finding by (project, check, symbol). For each project and in
total it prints:
  labelled   labels whose finding the scan still reports not-thread-safe
  race/startup/benign   how those split by label
  precision  race / labelled
  unlabelled not-thread-safe findings no label covers (label them: a new
             finding is as likely noise as signal)
  lost       `race` labels whose finding is no longer reported not-thread-safe
             (lost recall; they are listed)
Projects without a report in REPORTS_DIR are skipped. Entries under `missed:`
in the labels file (hazards the baseline did not report) are counted as found
when the scan now reports a not-thread-safe finding with their check and symbol
(and, for `what: evidence` entries, evidence at their file:line).
"""
import json
import os
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    reports = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, 'work', 'reports')
    labels_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, 'labels.yaml')
    data = yaml.safe_load(open(labels_path))
    labels = data['labels']
    missed = data.get('missed') or []

    projects = []
    for l in labels:
        if l['project'] not in projects:
            projects.append(l['project'])

    flagged = {}  # project -> set of (check, symbol) reported not-thread-safe
    for p in projects:
        path = os.path.join(reports, p + '.json')
        if not os.path.exists(path):
            continue
        r = json.load(open(path))
        flagged[p] = {(f['check'], f['symbol']) for f in r['findings'] if f['verdict'] == 'not-thread-safe'}

    rows = []
    lost_all = []
    tot = dict(labelled=0, race=0, startup=0, benign=0, lost=0, unlabelled=0)
    unlabelled_all = []
    for p in projects:
        if p not in flagged:
            print(f'{p}: no report in {reports}, skipped')
            continue
        mine = [l for l in labels if l['project'] == p]
        kept = [l for l in mine if (l['check'], l['symbol']) in flagged[p]]
        lost = [l for l in mine if l['label'] == 'race' and (l['check'], l['symbol']) not in flagged[p]]
        keys = {(l['check'], l['symbol']) for l in mine}
        new = sorted(k for k in flagged[p] if k not in keys)
        unlabelled_all += [(p, k) for k in new]
        row = dict(labelled=len(kept), lost=len(lost), unlabelled=len(new))
        for k in ('race', 'startup', 'benign'):
            row[k] = sum(1 for l in kept if l['label'] == k)
        for k in tot:
            tot[k] += row[k]
        rows.append((p, row))
        lost_all += [(p, l) for l in lost]

    def prec(row):
        return f"{row['race'] / row['labelled']:.2f}" if row['labelled'] else '-'

    print(f"{'project':<12} {'labelled':>8} {'race':>5} {'startup':>7} {'benign':>6} {'precision':>9} {'lost race':>9} {'unlabelled':>10}")
    for p, row in rows + [('total', tot)]:
        print(f"{p:<12} {row['labelled']:>8} {row['race']:>5} {row['startup']:>7} {row['benign']:>6} {prec(row):>9} {row['lost']:>9} {row['unlabelled']:>10}")
    for p, (check, symbol) in unlabelled_all:
        print(f"unlabelled: {p} {check} {symbol}")
    for p, l in lost_all:
        print(f"lost race: {p} {l['check']} {l['symbol']} ({l['file']}:{l['line']})")
    if missed:
        # A missed hazard counts as found when the scan now reports a
        # not-thread-safe finding with its check and symbol; for
        # `what: evidence` entries (the variable was reported, the racy access
        # was not in its evidence) the finding must also list evidence at the
        # entry's file:line.
        found = []
        for m in missed:
            if m['project'] not in flagged:
                continue
            r = json.load(open(os.path.join(reports, m['project'] + '.json')))
            for f in r['findings']:
                if f['verdict'] != 'not-thread-safe' or (f['check'], f['symbol']) != (m['check'], m['symbol']):
                    continue
                if m.get('what') != 'evidence' or any(
                        e['location']['file'] == m['file'] and e['location']['line'] == m['line'] for e in f['evidence']):
                    found.append(m)
                    break
        print(f"missed hazards now reported: {len(found)} of {len(missed)}")
        for m in found:
            print(f"  now found: {m['project']} {m['check']} {m['symbol']} ({m['file']}:{m['line']})")

if __name__ == '__main__':
    main()
