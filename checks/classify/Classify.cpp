// The rule table and the one analysis every rule reads (see Rules.h).
#include "classify/Classify.h"

#include "classify/Rules.h"

#include <algorithm>
#include <tuple>

namespace sharedstate {

ProgramAnalysis::ProgramAnalysis(const ProgramFacts &P, const ClassifyOptions &Options)
    : program(P), graph(analyzeCallGraph(P)), aliases(indexAliases(P)),
      concurrency(P, graph, aliases, Options.serialLibraryCallers),
      summaries(P), accesses(resolveAccesses(P, graph, aliases, concurrency, summaries)) {}

namespace {
using Rule = std::vector<Finding> (*)(const ProgramAnalysis &);
const Rule Rules[] = {sharedVariableFindings, lazyInitFindings, singletonHandlerFindings};
} // namespace

std::vector<Finding> classify(const ProgramFacts &P, const ClassifyOptions &Options) {
  const ProgramAnalysis Analysis(P, Options);
  std::vector<Finding> Out;
  for (Rule R : Rules)
    for (Finding &F : R(Analysis))
      Out.push_back(std::move(F));
  std::sort(Out.begin(), Out.end(), [](const Finding &A, const Finding &B) {
    return std::tie(A.location, A.symbol, A.check) < std::tie(B.location, B.symbol, B.check);
  });
  return Out;
}

} // namespace sharedstate
