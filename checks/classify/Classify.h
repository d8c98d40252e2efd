// Classify: program facts in, findings out.
//
// Each shared variable gets one of the four categories of Django's threading
// review, read for C++:
//   1 thread-safe           never written after its initialization
//   2 probably thread-safe  written only while the program initializes
//   3 not thread-safe       its elements or fields are mutated at run time
//   4 not thread-safe       it is reassigned at run time
// A variable both mutated and reassigned at run time is category 4: replacing
// the whole object is the stronger hazard, and the evidence lists both kinds.
// The verdict then asks whether every run-time write was synchronized.
#pragma once

#include "facts/Facts.h"
#include "facts/Merge.h"

#include <string>
#include <vector>

namespace sharedstate {

enum class Verdict { ThreadSafe, ProbablyThreadSafe, NotThreadSafe };
const char *toString(Verdict);
std::optional<Verdict> parseVerdict(const std::string &);

struct Evidence {
  AccessWhat what = AccessWhat::Mutate;
  SourceLocation location;
  std::string function;
  Phase phase = Phase::Runtime;
  Sync sync = Sync::None;
  std::string detail;
  std::string field; ///< singleton-handler: the data member written
};

/// singleton-handler: one way the object comes to serve every request.
struct Instance {
  std::string how; ///< controller, registration, accessor, global, meyers
  std::string detail;
  SourceLocation location;
  friend bool operator==(const Instance &A, const Instance &B) {
    return A.how == B.how && A.detail == B.detail && A.location == B.location;
  }
};

struct Finding {
  std::string key;   ///< the variable's key (not reported; front-ends use it)
  std::string id;    ///< fingerprint: check + entity key, nothing else
  std::string check; ///< e.g. sharedstate-mutable-global
  std::string kind;  ///< e.g. mutable-global
  int category = 1;
  Verdict verdict = Verdict::ThreadSafe;
  std::string symbol;
  std::string type;
  SourceLocation location;
  std::string message;
  std::string shape;                   ///< lazy-init only: incomplete-init, duplicate-init, ...
  std::string hint;                    ///< optional advice, e.g. "declare it const"
  std::vector<std::string> qualifiers; ///< const, reference, synchronization, guarded_by
  std::vector<Evidence> evidence;
  std::vector<Instance> instances; ///< singleton-handler only
};

/// One line about a piece of evidence, the same in every front-end:
/// "mutate in 'handle' (calls non-const 'push_back'), runtime".
std::string describe(const Evidence &E);

/// Check id for a variable kind (from Checks.def).
const char *checkFor(VarKind);

/// 64-bit FNV-1a of check and key as 16 hex digits: stable across runs,
/// machines and message rewording.
std::string fingerprint(const std::string &Check, const std::string &Key);

/// Phases and inherited synchronization, from the call graph.
struct CallGraphFacts {
  /// Functions that run only while the program initializes.
  std::set<std::string> initialization;
  /// Functions every call of which holds synchronization, with its kind.
  std::map<std::string, Sync> protectedBy;
};
CallGraphFacts analyzeCallGraph(const ProgramFacts &);

/// One finding per shared variable, sorted by location.
std::vector<Finding> classify(const ProgramFacts &);

} // namespace sharedstate
