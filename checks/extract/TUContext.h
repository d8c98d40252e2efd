// TUContext: the extraction of one translation unit, as the parts that make
// it up.
//
// There is one traversal of the AST (Extractor.cpp), which hands each node to
// the parts that care about it. Each part is a class in a file of its own and
// owns the facts of its concern; they reach each other through this context
// (`TU.locks.heldAt(...)`). Constructed in the order below; no part uses
// another before the traversal starts.
//
//   Identity       keys, display names and locations of declarations
//   Listed         what the option lists say about a type or a call
//   Ancestors      the stack of nodes above the one being visited
//   Locks          which lock is held at a node (RAII guards, lock()/unlock())
//   HandOff        release stores and acquire loads of atomic flags around a node
//   CallGraph      functions, call edges, and the function around a node
//   Variables      the inventory of shared variables
//   Classes        user classes that may serve requests
//   Mutation       whether a mention of shared state reads or writes it
//   GuardedChecks  "if it is unset, initialize it" (lazy initialization)
//   Handlers       objects registered to serve every request
//   Roots          where concurrency starts: threads, executors, callbacks, tests
//   Programs       main's statements: where start-up ends
#pragma once

#include "extract/Ancestors.h"
#include "extract/CallGraph.h"
#include "extract/Classes.h"
#include "extract/GuardedChecks.h"
#include "extract/HandOff.h"
#include "extract/Handlers.h"
#include "extract/Identity.h"
#include "extract/Listed.h"
#include "extract/Locks.h"
#include "extract/Mutation.h"
#include "extract/Programs.h"
#include "extract/Roots.h"
#include "extract/Variables.h"

#include <clang/AST/ASTContext.h>

namespace sharedstate::extract {

struct TUContext {
  TUContext(clang::ASTContext &Ctx, const AnalysisOptions &Opts)
      : ast(Ctx), sm(Ctx.getSourceManager()), options(Opts), ids(Ctx, Opts.root), listed(Ctx, Opts, ids.policy()),
        locks(*this), handOff(*this), calls(*this), variables(*this), classes(*this), mutation(*this), guardedChecks(*this),
        handlers(*this), roots(*this), programs(*this) {}
  TUContext(const TUContext &) = delete;
  TUContext &operator=(const TUContext &) = delete;

  clang::ASTContext &ast;
  clang::SourceManager &sm;
  const AnalysisOptions &options;
  Identity ids;
  Listed listed;
  Ancestors stack;
  Locks locks;
  HandOff handOff;
  CallGraph calls;
  Variables variables;
  Classes classes;
  Mutation mutation;
  GuardedChecks guardedChecks;
  Handlers handlers;
  Roots roots;
  Programs programs;
};

} // namespace sharedstate::extract
