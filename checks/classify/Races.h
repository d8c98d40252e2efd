// Races: two accesses to one variable, at least one a write, that can run at
// the same time with nothing ordering them.
//
// They can run at the same time when their contexts are concurrent
// (Concurrency.h). Nothing orders them when they hold no common mutex (by
// identity: a mutex variable, the mutex field of the same object; at least
// one of them holding it exclusively), they are not both atomic, neither
// runs inside call_once, and no release/acquire hand-off of a flag orders
// them. Reads count: a variable written under a
// lock but read without it races, and the unlocked read is the racing
// access. An address that escapes is not itself a write: a race needs a
// write the scan sees.
#pragma once

#include "classify/Concurrency.h"
#include "classify/Resolve.h"

#include <optional>
#include <vector>

namespace sharedstate {

/// The verdict on one variable's run-time accesses.
struct RaceAnalysis {
  enum class Why {
    Races,          ///< `first` and `second` race
    Ordered,        ///< some accesses can run at once, but each such pair is ordered
    Confined,       ///< every access runs in one context with one instance
    Sequential,     ///< threads reach it, but each is joined before the next one starts
    SingleThreaded, ///< no two accesses can run at once
  };
  Why why = Why::SingleThreaded;
  const AccessOn *first = nullptr, *second = nullptr;
  int firstContext = -1, secondContext = -1; ///< Races: where each runs; Confined: the context
};

/// Accesses: every access to one variable (their evidence's phase decides
/// which are run time).
RaceAnalysis analyzeRaces(const std::vector<AccessOn> &Accesses, const ConcurrencyModel &Model);

/// The mutexes an access holds: its own and every caller's, resolved.
std::vector<LockRef> locksOf(const AccessOn &A, const ConcurrencyModel &Model);

/// Whether a release/acquire hand-off orders Before before After: a flag
/// stored with release after Before is loaded with acquire, and seen set,
/// before After.
bool handedOff(const AccessOn &Before, const AccessOn &After, const ConcurrencyModel &Model);

/// Whether something orders A and B (a common mutex, both atomic, call_once,
/// a release/acquire hand-off).
bool ordered(const AccessOn &A, const AccessOn &B, const ConcurrencyModel &Model);

/// Where an access runs, for the evidence.
std::vector<RunsIn> runsIn(const Access &A, const ConcurrencyModel &Model);

} // namespace sharedstate
