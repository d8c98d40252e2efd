// Looking types and calls up in the option lists (see Listed.h).
#include "extract/Listed.h"

#include "extract/AstQueries.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/Attr.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclTemplate.h>
#include <clang/AST/ExprCXX.h>
#include <clang/Basic/SourceManager.h>

namespace sharedstate::extract {

using namespace clang;

Listed::Listed(ASTContext &Ctx, const AnalysisOptions &Opts, const PrintingPolicy &Policy)
    : Ctx(Ctx), Opts(Opts), Policy(Policy) {
  for (const ListOption &L : ListOptions)
    for (const std::string &N : Opts.*L.list)
      Names[&(Opts.*L.list)].insert(N);
  for (const auto *List : {&Opts.sharedLockGuardTypes, &Opts.lockFunctions, &Opts.sharedLockFunctions,
                           &Opts.unlockFunctions})
    for (const std::string &N : *List)
      Names[List].insert(N);
}

bool Listed::has(const std::vector<std::string> &List, const std::string &Name) const {
  auto It = Names.find(&List);
  return It != Names.end() && It->second.count(Name);
}

void Listed::printListName(const CXXRecordDecl *RD, llvm::raw_ostream &OS) const {
  const NamedDecl *Named = RD;
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
    Named = Spec->getSpecializedTemplate();
  Named->printQualifiedName(OS, Policy);
}

std::optional<std::string> Listed::classIn(QualType T, const std::vector<std::string> &List) const {
  T = Ctx.getBaseElementType(T.getNonReferenceType());
  const auto *RD = T->getAsCXXRecordDecl();
  if (!RD)
    return std::nullopt;
  std::string Name;
  llvm::raw_string_ostream OS(Name);
  printListName(RD, OS);
  OS.flush();
  if (has(List, Name))
    return Name;
  return std::nullopt;
}

std::optional<std::string> Listed::syncType(QualType T) const {
  if (auto Name = classIn(T, Opts.syncTypes))
    return Name;
  // C types are known by their typedef: pthread_mutex_t, pthread_spinlock_t.
  for (QualType Cur = Ctx.getBaseElementType(T.getNonReferenceType());;) {
    if (const auto *TT = Cur->getAs<TypedefType>()) {
      std::string Name = TT->getDecl()->getQualifiedNameAsString();
      if (has(Opts.syncTypes, Name))
        return Name;
      Cur = TT->getDecl()->getUnderlyingType();
      continue;
    }
    break;
  }
  if (const auto *RD = Ctx.getBaseElementType(T.getNonReferenceType())->getAsCXXRecordDecl();
      RD && (RD->hasAttr<CapabilityAttr>() || isProjectMutex(RD)))
    return RD->getQualifiedNameAsString();
  return std::nullopt;
}

int Listed::lockEffect(llvm::StringRef N) {
  if (N == "lock" || N == "Lock" || N == "Acquire" || N == "WriteLock" || N == "WriterLock")
    return 1;
  if (N == "lock_shared" || N == "ReadLock" || N == "ReaderLock" || N == "LockShared")
    return 2;
  if (N == "unlock" || N == "Unlock" || N == "Release" || N == "WriteUnlock" || N == "WriterUnlock" ||
      N == "unlock_shared" || N == "ReadUnlock" || N == "ReaderUnlock" || N == "UnlockShared")
    return -1;
  return 0;
}

int Listed::tryLockEffect(llvm::StringRef N) {
  if (N == "try_lock" || N == "TryLock" || N == "TryAcquire" || N == "WriterTryLock" || N == "TryWriterLock")
    return 1;
  if (N == "try_lock_shared" || N == "ReaderTryLock" || N == "TryReaderLock" || N == "TryLockShared")
    return 2;
  return 0;
}

bool Listed::isProjectMutex(const CXXRecordDecl *RD) const {
  if (!RD || !RD->hasDefinition())
    return false;
  RD = RD->getDefinition();
  auto [It, New] = MutexShape.emplace(RD, false);
  if (!New)
    return It->second;
  if (Ctx.getSourceManager().isInSystemHeader(RD->getLocation()))
    return false; // the standard library's own are listed; std::unique_lock is no mutex
  bool Locks = false, Unlocks = false;
  for (const CXXMethodDecl *M : RD->methods()) {
    if (M->isStatic() || !M->getDeclName().isIdentifier())
      continue;
    int E = lockEffect(M->getName());
    Locks = Locks || E == 1;
    Unlocks = Unlocks || E == -1;
  }
  bool Field = false;
  if (Locks && Unlocks)
    for (const FieldDecl *F : RD->fields()) {
      QualType T = F->getType();
      if (T->isPointerType())
        T = T->getPointeeType(); // a pimpl'd mutex: std::unique_ptr is not followed
      const auto *FR = T->getAsCXXRecordDecl();
      if ((FR != RD && syncType(T)) || (FR && FR != RD && isProjectMutex(FR)))
        Field = true;
    }
  return MutexShape[RD] = Locks && Unlocks && Field;
}

bool Listed::isProjectGuard(const CXXRecordDecl *RD, bool &Shared) const {
  Shared = false;
  if (!RD || !RD->hasDefinition())
    return false;
  RD = RD->getDefinition();
  if (auto It = GuardShape.find(RD); It != GuardShape.end()) {
    Shared = It->second == 2;
    return It->second != 0;
  }
  int Shape = 0;
  // By its name too: a Worker constructed with a mutex is not a guard.
  llvm::StringRef Name = RD->getDeclName().isIdentifier() ? RD->getName() : "";
  bool Named = Name.contains("Lock") || Name.contains("lock") || Name.contains("Guard") || Name.contains("guard");
  if (Named && RD->hasUserDeclaredDestructor() && !isProjectMutex(RD) && !RD->hasAttr<CapabilityAttr>())
    for (const CXXConstructorDecl *C : RD->ctors()) {
      if (C->getNumParams() == 0 || C->isCopyOrMoveConstructor())
        continue;
      QualType P = C->getParamDecl(0)->getType();
      if (!P->isReferenceType() && !P->isPointerType())
        continue;
      QualType M = P->getPointeeType();
      if (!syncType(M))
        continue;
      Shape = 1;
      if (Name.contains("Reader") || Name.starts_with("Read") || Name.contains("Shared"))
        Shape = 2;
      break;
    }
  GuardShape[RD] = Shape;
  Shared = Shape == 2;
  return Shape != 0;
}

bool Listed::hasSyncMember(QualType T) const {
  const auto *RD = Ctx.getBaseElementType(T.getNonReferenceType())->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition())
    return false;
  for (const FieldDecl *F : RD->fields())
    if (syncType(F->getType()) || (F->getType()->getAsCXXRecordDecl() != RD && hasSyncMember(F->getType())))
      return true;
  for (const CXXBaseSpecifier &B : RD->bases())
    if (hasSyncMember(B.getType()))
      return true;
  return false;
}

std::optional<std::string> Listed::baseIn(const CXXRecordDecl *RD, const std::vector<std::string> &List,
                                          int Depth) const {
  if (Depth > 16 || !RD->hasDefinition())
    return std::nullopt;
  for (const CXXBaseSpecifier &B : RD->getDefinition()->bases()) {
    if (auto Name = classIn(B.getType(), List))
      return Name;
    if (const CXXRecordDecl *BRD = B.getType()->getAsCXXRecordDecl())
      if (auto Name = baseIn(BRD, List, Depth + 1))
        return Name;
  }
  return std::nullopt;
}

bool Listed::keepsCallable(const FunctionDecl *Callee, unsigned Param) const {
  if ((Callee->getDeclName().isIdentifier() || Callee->getOverloadedOperator() == OO_Call) &&
      has(Opts.registrationFunctions, listName(Callee)))
    return true;
  const auto *MD = dyn_cast<CXXMethodDecl>(Callee);
  return MD && !MD->isStatic() && !MD->isConst() && !isa<CXXConstructorDecl>(MD) && Param < MD->getNumParams() &&
         isStdFunctionType(MD->getParamDecl(Param)->getType());
}

std::string Listed::listName(const FunctionDecl *F) const {
  std::string Name;
  llvm::raw_string_ostream OS(Name);
  if (const auto *MD = dyn_cast<CXXMethodDecl>(F)) {
    printListName(MD->getParent(), OS);
    OS << "::";
    F->printName(OS, Policy);
  } else {
    F->printQualifiedName(OS, Policy);
  }
  return OS.str();
}

std::string Listed::listNameOnObject(const CallExpr *Call) const {
  const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(Call);
  const CXXMethodDecl *MD = MC ? MC->getMethodDecl() : nullptr;
  const CXXRecordDecl *RD = MC ? MC->getObjectType()->getAsCXXRecordDecl() : nullptr;
  if (!MD || !RD || RD == MD->getParent())
    return "";
  std::string Name;
  llvm::raw_string_ostream OS(Name);
  printListName(RD, OS);
  OS << "::";
  MD->printName(OS, Policy);
  return OS.str();
}

} // namespace sharedstate::extract
