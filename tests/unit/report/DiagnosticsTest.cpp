// A finding becomes the same warning and notes in every sink: the message at
// the finding's location, a note per write (not for the initializer or the
// lazy-init check, which the message already says), a note per instance,
// then the hint at the finding's location.
#include "report/Diagnostics.h"

#include "Builders.h"

using namespace sharedstate;
using namespace sharedstate::unittest;

namespace {
Evidence evidence(AccessWhat What, unsigned Line, const std::string &Function) {
  Evidence E;
  E.what = What;
  E.location = at(Line, 3);
  E.function = Function;
  E.detail = "'++'";
  return E;
}
} // namespace

TEST_SUITE("diagnostics") {

TEST_CASE("the message at the finding, a note per write, then the hint") {
  Finding F;
  F.check = "sharedstate-mutable-global";
  F.location = at(2, 5);
  F.message = "global 'hits' is reassigned at run time";
  F.hint = "guard it";
  F.evidence = {evidence(AccessWhat::Init, 2, "(initializer of hits)"), evidence(AccessWhat::Reassign, 7, "serve"),
                evidence(AccessWhat::Mutate, 9, "reset")};
  Diagnostic D = diagnose(F);
  CHECK(D.check == F.check);
  CHECK(D.location == F.location);
  CHECK(D.message == F.message);
  REQUIRE(D.notes.size() == 3);
  CHECK(D.notes[0].location == at(7, 3));
  CHECK(D.notes[0].message == describe(F.evidence[1]));
  CHECK(D.notes[1].location == at(9, 3));
  CHECK_FALSE(D.notes[1].isHint);
  CHECK(D.notes[2].isHint);
  CHECK(D.notes[2].location == F.location);
  CHECK(D.notes[2].message == "guard it");
}

TEST_CASE("the lazy-init check itself is no note, instances are") {
  Finding F;
  F.location = at(4, 7);
  F.evidence = {evidence(AccessWhat::Check, 4, "get"), evidence(AccessWhat::Mutate, 5, "get")};
  F.instances = {Instance{"registration", "std::ref(h) registered with 'add'", at(20, 9)}};
  Diagnostic D = diagnose(F);
  REQUIRE(D.notes.size() == 2);
  CHECK(D.notes[0].location == at(5, 3));
  CHECK(D.notes[1].location == at(20, 9));
  CHECK(D.notes[1].message == "one instance per process: std::ref(h) registered with 'add'");
}

TEST_CASE("a finding without evidence, instances or hint is the message alone") {
  Finding F;
  F.message = "never written";
  CHECK(diagnose(F).notes.empty());
}

} // TEST_SUITE
