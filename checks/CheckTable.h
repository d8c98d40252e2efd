// The checks table (Checks.def) as data: what every front-end, reporter and
// test asks about a check comes from here, so a new check is one row.
#pragma once

#include <cstddef>
#include <cstring>

namespace sharedstate {

struct CheckInfo {
  const char *id;            ///< sharedstate-<kind>, the clang-tidy check name
  const char *kind;          ///< the finding kind in reports
  const char *docPage;       ///< relative to the source tree
  const char *defaultWarnOn; ///< WarnOn when neither the check's key nor sharedstate.WarnOn is set
  const char *tally;         ///< the text summary's label; "" for the variable checks' category table
  const char *summary;       ///< one sentence, also the first line of the docs page
};

inline constexpr CheckInfo CheckTable[] = {
#define SHAREDSTATE_CHECK(Id, Kind, DocPage, DefaultWarnOn, Tally, Summary)                                      \
  {Id, Kind, DocPage, DefaultWarnOn, Tally, Summary},
#include "Checks.def"
};

/// The row of check Id, or null.
inline const CheckInfo *findCheck(const char *Id) {
  for (const CheckInfo &C : CheckTable)
    if (std::strcmp(C.id, Id) == 0)
      return &C;
  return nullptr;
}

} // namespace sharedstate
