// NOLINT comments, read the way clang-tidy reads them, so that one comment
// silences a finding in the plugin and in sharedstate-scan alike.
//
// The directives are plain text, found anywhere on a line (clang-tidy does not
// parse comments either):
//   NOLINT              on the finding's own line
//   NOLINTNEXTLINE      on the line before it
//   NOLINTBEGIN ... NOLINTEND   around it; an END closes the innermost open
//                       BEGIN when both name the same checks
// Each may be followed directly by a parenthesized, comma-separated list of
// check globs, `NOLINT(sharedstate-*, misc-foo)`; without one it covers every
// check. Globs support `*` only; negative globs (`-name`) are ignored, as in
// clang-tidy. `NOLINT()` covers nothing. A `(` without `)` on the same line is
// no list, so the directive covers every check. An unmatched BEGIN or END
// suppresses nothing (clang-tidy also reports it as an error; we do not).
//
// Pure functions of the file's text: no I/O.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace sharedstate {

/// Whether Name matches a clang-tidy glob list such as "sharedstate-*, misc-x"
/// (comma- or newline-separated; only positive globs count).
bool matchesGlobList(const std::string &Globs, const std::string &Name);

/// The NOLINT directives of one source file. Build once per file and ask for
/// each finding in it.
class NoLintIndex {
public:
  explicit NoLintIndex(std::string Contents);

  /// Whether a diagnostic of check Check at Line:Column (both 1-based, the
  /// column in bytes) is suppressed. A line past the end is not.
  bool suppresses(unsigned Line, unsigned Column, const std::string &Check) const;

  enum class Kind { NoLint, NextLine, Begin, End };
  struct Directive {
    Kind kind;
    size_t pos;                        ///< offset of the 'N' of NOLINT
    std::optional<std::string> checks; ///< the list, whitespace trimmed; nullopt: all checks
    bool covers(const std::string &Check) const;
  };

private:
  struct Block {
    Directive begin;
    size_t endPos;
  };
  /// Whether the line starting at LineStart has a directive of kind K that
  /// covers Check.
  bool lineHas(size_t LineStart, Kind K, const std::string &Check) const;

  std::string Text;
  std::vector<size_t> LineStarts;
  std::vector<Block> Blocks;
};

/// One-shot form of NoLintIndex: is a Check finding at Line:Column of this
/// file text suppressed?
bool isSuppressed(const std::string &Text, unsigned Line, unsigned Column, const std::string &Check);

} // namespace sharedstate
