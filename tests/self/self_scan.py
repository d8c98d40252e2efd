#!/usr/bin/python3
"""sharedstate on its own sources: the analysis and the front-ends (checks/ and
tool/, as the build's compile_commands.json compiles them) must have no
finding that warns. The clang-tidy plugin runs inside clang-tidy, on
clang-tidy's threads; shared state there is as much a bug as in a server.

    self_scan.py --scanner PATH --build-dir DIR --source-dir DIR

Exit status: 0 when the scan exits 0, else 1 with the scanner's report.
"""

import argparse
import json
import os
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scanner", required=True)
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("--source-dir", required=True)
    a = ap.parse_args()
    source = os.path.realpath(a.source_dir)
    with open(os.path.join(a.build_dir, "compile_commands.json")) as f:
        db = json.load(f)
    ours = sorted({e["file"] for e in db
                   if os.path.realpath(e["file"]).startswith((os.path.join(source, "checks") + os.sep,
                                                              os.path.join(source, "tool") + os.sep))})
    if not ours:
        print("FAIL: no source of checks/ or tool/ in %s/compile_commands.json" % a.build_dir)
        return 1
    argv = [a.scanner, "-p", a.build_dir, "--root", source, "--format", "text", "-j", "2"] + ours
    r = subprocess.run(argv, capture_output=True, text=True)
    sys.stdout.write(r.stdout)
    sys.stderr.write(r.stderr)
    if r.returncode != 0:
        print("FAIL: sharedstate-scan exited %d on its own %d sources (see the warnings above)"
              % (r.returncode, len(ours)))
        return 1
    print("PASS: %d translation units, no finding that warns" % len(ours))
    return 0


if __name__ == "__main__":
    sys.exit(main())
