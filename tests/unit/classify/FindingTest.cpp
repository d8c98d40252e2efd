// Finding ids are what baselines and CI suppressions store: they must follow
// the entity (check + key) and nothing else, so that moving a variable,
// renaming its display form or rewording a message keeps its id.
#include "Builders.h"

#include <cctype>

using namespace sharedstate;
using namespace sharedstate::unittest;

TEST_SUITE("fingerprint") {

TEST_CASE("a fingerprint is 16 lowercase hex digits") {
  for (const std::string &Key : {std::string(), std::string("c:@x"), std::string(1000, 'k')}) {
    std::string Id = fingerprint("sharedstate-mutable-global", Key);
    CHECK(Id.size() == 16);
    for (char C : Id)
      CHECK((std::isdigit(static_cast<unsigned char>(C)) || (C >= 'a' && C <= 'f')));
  }
}

TEST_CASE("a fingerprint is a function of check and key") {
  CHECK(fingerprint("sharedstate-mutable-global", "c:@x") ==
        fingerprint("sharedstate-mutable-global", "c:@x"));
  CHECK(fingerprint("sharedstate-mutable-global", "c:@x") !=
        fingerprint("sharedstate-mutable-global", "c:@y"));
  CHECK(fingerprint("sharedstate-mutable-global", "c:@x") !=
        fingerprint("sharedstate-mutable-static-member", "c:@x"));
  // Where check ends and key begins matters.
  CHECK(fingerprint("ab", "c") != fingerprint("a", "bc"));
}

TEST_CASE("a finding's id does not change when only its name, place or message does") {
  SharedVariable Before = variable("counter", 3);
  SharedVariable After = Before;
  After.name = "ns::counter";
  After.type = "long";
  After.location = at(40, 9, "/src/moved.cpp");
  Program Old, New;
  Old.var(Before).entry("main").mutate("counter", "main", 10);
  New.var(After).entry("main").reassign("counter", "main", 77); // message and category change
  Finding A = Old.finding("counter");
  Finding B = New.finding("ns::counter");
  REQUIRE(A.message != B.message);
  CHECK(A.id == B.id);
  CHECK(A.id == fingerprint(A.check, Before.key));
}

TEST_CASE("different variables get different ids") {
  Program P;
  P.global("a", 1).global("b", 2);
  SharedVariable SameKeyOtherKind = variable("c", 3, VarKind::StaticMember);
  P.var(SameKeyOtherKind);
  std::vector<Finding> F = P.findings();
  REQUIRE(F.size() == 3);
  CHECK(F[0].id != F[1].id);
  CHECK(F[1].id != F[2].id);
  CHECK(F[0].id != F[2].id);
}

} // TEST_SUITE
