// In-process extraction for tests: a C++ snippet in, the extractor's facts
// out, with lookups by the names a test reads in the snippet.
//
// The snippet is parsed by Clang in memory (no files, no compile database)
// with -std=c++17; instead of the real standard library it includes a tiny
// one (MiniStd), so that each parses in milliseconds. The facts
// are the extractor's own, unmerged: what one TU contributes. Only this
// harness's .cpp sees Clang; the tests themselves see plain facts.
#pragma once

#include "facts/Facts.h"
#include "facts/Options.h"

#include "Doctest.h"

#include <string>
#include <vector>

namespace sharedstate::extracttest {

/// The facts of Code, parsed as "input.cc". A snippet that does not compile
/// fails the test, with Clang's first error.
TUFacts extract(const std::string &Code, const AnalysisOptions &Opts = AnalysisOptions::defaults());

/// A tiny standard library, `#include <ministd.h>` in a snippet, as a
/// system header: std::mutex, std::shared_mutex, lock_guard, unique_lock
/// (and defer_lock), shared_lock, call_once/once_flag, move, ref, vector
/// (push_back, operator[], size, empty, clear), map (operator[], find, end,
/// count, empty), function, thread (constructor, join, detach), atomic (load,
/// store, exchange, conversion, assignment; memory_order), condition_variable
/// (wait with and without a predicate), counting_semaphore, latch; and
/// pthread_mutex_t with pthread_mutex_lock/unlock, pthread_cond_wait, sem_t
/// with sem_post/sem_wait, pthread_barrier_wait, signal, struct sigaction
/// (sa_handler) with sigaction, atexit, ucontext_t with makecontext.
extern const char *const MiniStd;

/// The variable named Name (qualified as in reports); fails if absent.
const SharedVariable &variable(const TUFacts &F, const std::string &Name);
bool hasVariable(const TUFacts &F, const std::string &Name);

/// The accesses to the variable named Name, in extraction order.
std::vector<Access> accessesTo(const TUFacts &F, const std::string &Name);
/// The reads of the variable named Name: one per function and lock set.
std::vector<Access> readsOf(const TUFacts &F, const std::string &Name);
/// Those of kind What.
std::vector<Access> accessesTo(const TUFacts &F, const std::string &Name, AccessWhat What);

/// The function named Name (display name); fails if absent or ambiguous.
const Function &function(const TUFacts &F, const std::string &Name);
/// Whether an edge from the function named Caller to the one named Callee exists.
bool calls(const TUFacts &F, const std::string &Caller, const std::string &Callee);

} // namespace sharedstate::extracttest
