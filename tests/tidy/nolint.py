"""NOLINT comments: clang-tidy's NOLINT, NOLINTNEXTLINE and NOLINTBEGIN/END on a declaration
suppress the plugin's warning for it, bare or naming the check (or a glob matching it);
another check's name, a NOLINT on a write, or a block that has ended do not."""

import re

from harness import check
from common import by_symbol, diagnostics


def test_nolint(ctx):
    """clang-tidy's NOLINT comments on the declaration line suppress the plugin's warnings."""
    ctx.write("nolint.cpp", r"""
int plain_hits;
int nolint_hits; // NOLINT
int nolint_named_hits; // NOLINT(sharedstate-mutable-global)
int nolint_glob_hits; // NOLINT(sharedstate-*)
int nolint_other_hits; // NOLINT(bugprone-branch-clone)
int nolint_wrong_check_hits; // NOLINT(sharedstate-function-local-static)
// NOLINTNEXTLINE(sharedstate-mutable-global)
int nextline_hits;
// NOLINTNEXTLINE
int nextline_all_hits;
// NOLINTBEGIN(sharedstate-*)
int block_hits_a;
int block_hits_b;
// NOLINTEND(sharedstate-*)
// NOLINTBEGIN
int block_all_hits;
// NOLINTEND
int after_block_hits;
int write_line_hits;
struct Stats {
  static int served; // NOLINT(sharedstate-mutable-static-member)
  static int failed;
};
int Stats::served;
int Stats::failed;
int next_id() {
  static int id; // NOLINT(sharedstate-function-local-static)
  static int other_id;
  return ++id + ++other_id;
}
void on_request() {
  ++plain_hits; ++nolint_hits; ++nolint_named_hits; ++nolint_glob_hits; ++nolint_other_hits;
  ++nolint_wrong_check_hits; ++nextline_hits; ++nextline_all_hits; ++block_hits_a; ++block_hits_b;
  ++block_all_hits; ++after_block_hits;
  ++write_line_hits; // NOLINT: on a write, not on the declaration
  ++Stats::served; ++Stats::failed;
}
""")
    ctx.write_db(["nolint.cpp"])
    r = ctx.tidy_ok(["nolint.cpp"])
    got = by_symbol(diagnostics(r.out))
    expected = {"plain_hits", "nolint_other_hits", "nolint_wrong_check_hits", "after_block_hits",
                "write_line_hits", "Stats::failed", "next_id::other_id"}
    check(set(got) == expected, "warnings: expected exactly %s, got %s\n%s"
          % (sorted(expected), sorted(got), r.describe()))
    # 10 suppressed warnings; clang-tidy also counts the note a NOLINT on a write line hides.
    m = re.search(r"Suppressed (\d+) warnings \((\d+) NOLINT\)", r.err)
    check(m and int(m.group(2)) >= 10, "expected clang-tidy to count at least 10 NOLINT suppressions\n"
          + r.describe())


TESTS = {
    "nolint": test_nolint,
}
