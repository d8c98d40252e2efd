// Candidate handler classes (see Classes.h).
#include "extract/Classes.h"

#include "extract/TUContext.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclTemplate.h>

#include <algorithm>
#include <set>
#include <vector>

namespace sharedstate::extract {

using namespace clang;

std::string Classes::note(const CXXRecordDecl *RD) {
  RD = RD->getDefinition() ? RD->getDefinition() : RD;
  Listed.insert(RD);
  return TU.ids.declKey(RD);
}

const CXXRecordDecl *Classes::instanceClass(QualType T, int Depth) {
  T = T.getNonReferenceType();
  if (T->isPointerType())
    T = T->getPointeeType();
  T = TU.ast.getBaseElementType(T);
  const auto *RD = T->getAsCXXRecordDecl();
  if (!RD)
    return nullptr;
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD); Spec && Depth == 0 && Spec->isInStdNamespace()) {
    llvm::StringRef N = Spec->getName();
    const TemplateArgumentList &Args = Spec->getTemplateArgs();
    if ((N == "shared_ptr" || N == "unique_ptr" || N == "reference_wrapper") && Args.size() > 0 &&
        Args[0].getKind() == TemplateArgument::Type)
      return instanceClass(Args[0].getAsType(), Depth + 1);
  }
  RD = RD->getDefinition();
  if (!RD || RD->isLambda() || TU.ids.inSystemHeader(RD->getLocation()))
    return nullptr;
  return RD;
}

ClassInfo Classes::describe(const CXXRecordDecl *RD) {
  ClassInfo C;
  C.key = TU.ids.declKey(RD);
  llvm::raw_string_ostream OS(C.name);
  RD->getNameForDiagnostic(OS, TU.ids.policy(), /*Qualified=*/true); // with template arguments
  OS.flush();
  C.location = TU.ids.location(RD->getLocation());
  std::vector<const CXXRecordDecl *> Work{RD};
  std::set<std::string> Seen;
  while (!Work.empty()) {
    const CXXRecordDecl *Cur = Work.back();
    Work.pop_back();
    if (!Cur->hasDefinition())
      continue;
    for (const CXXBaseSpecifier &B : Cur->getDefinition()->bases())
      if (const CXXRecordDecl *BRD = B.getType()->getAsCXXRecordDecl())
        if (!TU.ids.inSystemHeader(BRD->getLocation()) && Seen.insert(TU.ids.declKey(BRD)).second) {
          C.bases.push_back(TU.ids.declKey(BRD));
          Work.push_back(BRD);
        }
  }
  std::sort(C.bases.begin(), C.bases.end());
  return C;
}

void Classes::emit(TUFacts &Out) {
  for (const CXXRecordDecl *RD : Listed)
    Out.classes.push_back(describe(RD));
}

} // namespace sharedstate::extract
