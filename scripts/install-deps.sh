#!/usr/bin/env bash
# Installs what building and testing sharedstate needs on Debian 12 (bookworm).
# LLVM_VERSION selects the LLVM/Clang major (default 19; 22 comes from
# bookworm-security). Runs apt-get through sudo when not root.
set -euo pipefail
LLVM_VERSION="${LLVM_VERSION:-19}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  cmake ninja-build g++ make python3 python3-jsonschema python3-yaml jq \
  nlohmann-json3-dev doctest-dev libcpp-httplib-dev \
  "llvm-${LLVM_VERSION}-dev" "libclang-${LLVM_VERSION}-dev" "clang-${LLVM_VERSION}" \
  "clang-tidy-${LLVM_VERSION}" "clangd-${LLVM_VERSION}" >/dev/null
echo "install-deps: LLVM ${LLVM_VERSION} toolchain and test dependencies are installed"
