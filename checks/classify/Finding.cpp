// Finding identity (check ids, fingerprints) and the evidence folding every
// rule shares (see Finding.h).
#include "classify/Finding.h"

#include "CheckTable.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <tuple>

namespace sharedstate {

namespace {
const char *const VerdictNames[] = {"thread-safe", "probably-thread-safe", "not-thread-safe"};
const char *const LazyShapeNames[] = {"incomplete-init", "duplicate-init", "double-checked", "memoize", "flag"};
} // namespace

const char *toString(LazyShape S) { return LazyShapeNames[static_cast<int>(S)]; }

const char *toString(Verdict V) { return VerdictNames[static_cast<int>(V)]; }
std::optional<Verdict> parseVerdict(const std::string &S) {
  for (int I = 0; I < 3; ++I)
    if (S == VerdictNames[I])
      return static_cast<Verdict>(I);
  return std::nullopt;
}

// The variable checks are the table's first rows, in VarKind order.
const char *checkFor(VarKind K) { return CheckTable[static_cast<int>(K)].id; }

std::string fingerprint(const std::string &Check, const std::string &Key) {
  uint64_t H = 1469598103934665603ULL;
  auto Feed = [&H](const std::string &S) {
    for (unsigned char C : S) {
      H ^= C;
      H *= 1099511628211ULL;
    }
  };
  Feed(Check);
  Feed(std::string(1, '\0'));
  Feed(Key);
  char Buf[17];
  std::snprintf(Buf, sizeof Buf, "%016llx", static_cast<unsigned long long>(H));
  return Buf;
}

void foldInstantiations(std::vector<Evidence> &Ev) {
  auto Key = [](const Evidence &E) { return std::tie(E.location, E.what, E.function, E.detail); };
  std::sort(Ev.begin(), Ev.end(), [&](const Evidence &A, const Evidence &B) { return Key(A) < Key(B); });
  std::vector<Evidence> Out;
  for (Evidence &E : Ev) {
    if (Out.empty() || Key(Out.back()) != Key(E)) {
      Out.push_back(std::move(E));
      continue;
    }
    // Run time dominates the other phases, with the run-time copy's sync;
    // within one phase a single unsynchronized copy makes the write
    // unsynchronized, and a racing copy makes it racing.
    Evidence &Kept = Out.back();
    auto Rank = [](Phase P) { return P == Phase::Runtime ? 2 : P == Phase::Initialization ? 0 : 1; };
    if (Rank(E.phase) > Rank(Kept.phase)) {
      Kept = std::move(E);
    } else if (E.phase == Kept.phase) {
      if (E.sync == Sync::None)
        Kept.sync = Sync::None;
      Kept.races = Kept.races || E.races;
    }
  }
  Ev = std::move(Out);
}

} // namespace sharedstate
