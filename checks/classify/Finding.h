// Findings: what classification decides, as data for every front-end.
//
// A finding is one shared variable (or one lazy-initialization check, or one
// handler class) with its category, its verdict and the evidence behind them.
// Reporters and the clang-tidy plugin turn findings into text; none of them
// decides anything, so every output says exactly what was classified.
#pragma once

#include "facts/Facts.h"

#include <optional>
#include <string>
#include <vector>

namespace sharedstate {

enum class Verdict { ThreadSafe, ProbablyThreadSafe, NotThreadSafe };
const char *toString(Verdict);
std::optional<Verdict> parseVerdict(const std::string &);

/// Where an access runs, as the evidence shows it.
struct RunsIn {
  std::string kind;        ///< thread, executor, callback, handler, test, main, api
  std::string via;         ///< what started it: "std::thread", "httplib::Server::Get", ...
  SourceLocation location; ///< where it is started, if it is a root
  bool many = false;       ///< many instances at once
  friend bool operator==(const RunsIn &A, const RunsIn &B) {
    return A.kind == B.kind && A.via == B.via && A.location == B.location && A.many == B.many;
  }
};

struct Evidence {
  AccessWhat what = AccessWhat::Mutate;
  SourceLocation location;
  std::string function;
  Phase phase = Phase::Runtime;
  Sync sync = Sync::None;
  std::string detail;
  std::string field;              ///< singleton-handler: the data member written
  std::vector<std::string> locks; ///< the mutexes held, own and inherited, by name
  std::vector<RunsIn> runsIn;     ///< where it runs (run-time accesses of variables)
  bool races = false;             ///< one of the two accesses of the race the finding reports
};

/// lazy-init: how the check and the writes after it race.
enum class LazyShape {
  IncompleteInit, ///< filled after an emptiness check: used half-built
  DuplicateInit,  ///< set after a null/unset check: initialized twice
  DoubleChecked,  ///< checked again under a lock, but not atomic
  Memoize,        ///< looked up, then inserted into
  Flag,           ///< a flag guarding other data, tested then set
};
const char *toString(LazyShape);

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

/// Check id for a variable kind (from Checks.def).
const char *checkFor(VarKind);

/// 64-bit FNV-1a of check and key as 16 hex digits: stable across runs,
/// machines and message rewording.
std::string fingerprint(const std::string &Check, const std::string &Key);

/// The same write seen in several template instantiations (or inline
/// functions in several TUs) is one piece of evidence: it is run time if any
/// copy is (then start-up or shutdown, then initialization), and
/// unsynchronized if any copy is. Sorts Ev by location.
void foldInstantiations(std::vector<Evidence> &Ev);

} // namespace sharedstate
