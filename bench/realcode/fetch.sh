#!/usr/bin/env bash
# Fetches the four real-code projects of the precision set from Debian 12
# source packages and configures each with CMake into a compile_commands.json.
# Nothing is built, except generated headers a project needs to parse (none of
# the four needs any at these versions).
#
#   bash bench/realcode/fetch.sh [WORK_DIR]      (default: bench/realcode/work)
#   REALCODE_WORK=/some/dir bash bench/realcode/fetch.sh
#
# Idempotent: the deb-src source, the packages, the unpacked sources and the
# configured build trees are each made only when missing. Runs as root (or
# through sudo). Writes WORK_DIR/versions.txt with the exact Debian versions.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="${1:-${REALCODE_WORK:-$HERE/work}}"
mkdir -p "$WORK/src" "$WORK/build"
WORK="$(cd "$WORK" && pwd)"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
CC_BIN="${CC_BIN:-clang-19}"
CXX_BIN="${CXX_BIN:-clang++-19}"

# --- 1. deb-src source -------------------------------------------------------
SRC_LIST=/etc/apt/sources.list.d/debian-src.sources
need_update=0
if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ && \
   ! grep -qs '^deb-src' /etc/apt/sources.list; then
  echo "fetch: adding $SRC_LIST"
  $SUDO tee "$SRC_LIST" >/dev/null <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  need_update=1
fi
if [ "$need_update" = 1 ] || ! apt-cache showsrc cpprest >/dev/null 2>&1 || \
   [ -z "$(apt-cache showsrc cpprest 2>/dev/null)" ]; then
  $SUDO apt-get update -qq
fi

# --- 2. what configuring needs (not build-dep: that pulls far more) ----------
PKGS=(dpkg-dev cmake ninja-build clang-19 pkg-config
      libboost-system-dev libboost-thread-dev libboost-random-dev
      libboost-filesystem-dev libboost-chrono-dev libboost-atomic-dev
      libboost-date-time-dev libboost-regex-dev libboost-program-options-dev
      libboost-test-dev
      libssl-dev zlib1g-dev libwebsocketpp-dev
      libgtest-dev libgmock-dev
      libsnappy-dev liblz4-dev libzstd-dev libbz2-dev)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "fetch: installing ${missing[*]}"
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- 3. sources ----------------------------------------------------------------
# project name -> Debian source package
declare -A SRCPKG=([cpprestsdk]=cpprest [websocketpp]=websocketpp [abseil]=abseil [rocksdb]=rocksdb)
PROJECTS=(cpprestsdk websocketpp abseil rocksdb)

srcdir_of() {  # the unpacked tree of source package $1 in $WORK/src
  local d
  for d in "$WORK/src/$1"-*/; do [ -d "$d" ] && { echo "${d%/}"; return; }; done
}

# websocketpp fallback: the Debian mirror this set was made on lacks
# websocketpp_0.8.2.orig.tar.gz (404), so when `apt-get source` cannot get it,
# the tree is rebuilt from the binary packages of the same Debian version:
# libwebsocketpp-dev (the library headers, Debian patches applied) and
# libwebsocketpp-doc (examples/, with their upstream CMakeLists.txt), plus a
# top-level CMakeLists.txt (below) that defines the upstream CMakeHelpers
# macros the examples use. Upstream's test/ directory is in neither package.
websocketpp_from_binaries() {
  local ver tmp dst
  ver="$(sed -n 's/^Version: //p' "$WORK/src"/websocketpp_*.dsc 2>/dev/null | head -1)"
  [ -n "$ver" ] || ver="$(apt-cache showsrc websocketpp | sed -n 's/^Version: //p' | head -1)"
  tmp="$(mktemp -d)"
  (cd "$tmp" && apt-get download -qq "libwebsocketpp-dev=$ver" "libwebsocketpp-doc=$ver" >/dev/null 2>&1)
  dst="$WORK/src/websocketpp-${ver%-*}+debbin"
  mkdir -p "$tmp/x" "$dst"
  for d in "$tmp"/*.deb; do dpkg-deb -x "$d" "$tmp/x"; done
  cp -r "$tmp/x/usr/include/websocketpp" "$dst/websocketpp"
  cp -r "$tmp/x/usr/share/doc/libwebsocketpp-dev/examples" "$dst/examples"
  cp "$HERE/websocketpp-CMakeLists.txt" "$dst/CMakeLists.txt"
  echo "$ver (rebuilt from binary packages libwebsocketpp-dev and libwebsocketpp-doc: orig tarball not on the mirror)" >"$dst/DEBIAN-VERSION"
  rm -rf "$tmp"
}

for proj in "${PROJECTS[@]}"; do
  pkg="${SRCPKG[$proj]}"
  if [ -z "$(srcdir_of "$pkg")" ]; then
    echo "fetch: apt-get source $pkg"
    if ! (cd "$WORK/src" && apt-get source -qq "$pkg" >"$WORK/src/$pkg.apt-source.log" 2>&1); then
      if [ "$pkg" = websocketpp ]; then
        echo "fetch: apt-get source websocketpp failed (see $WORK/src/$pkg.apt-source.log); using the binary packages"
        websocketpp_from_binaries
      else
        cat "$WORK/src/$pkg.apt-source.log" >&2; exit 1
      fi
    fi
  fi
  [ -n "$(srcdir_of "$pkg")" ] || { echo "fetch: no source tree for $pkg" >&2; exit 1; }
  # apt-get source unpacks as root; a tree that does not need root afterwards
  chmod -R u+rwX "$(srcdir_of "$pkg")"
  ln -sfn "$(basename "$(srcdir_of "$pkg")")" "$WORK/src/$proj"
done

# --- 4. configure --------------------------------------------------------------
COMMON=(-G Ninja -DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DCMAKE_BUILD_TYPE=Release
        "-DCMAKE_C_COMPILER=$CC_BIN" "-DCMAKE_CXX_COMPILER=$CXX_BIN")
declare -A OPTS
# -Wno-error=enum-constexpr-conversion: Boost 1.74's MPL does not compile with
# clang 16+ without it (http_client_asio.cpp: "integer value -1 is outside the
# valid range of values [0, 3] for the enumeration type 'udt_builtin_mixture_enum'").
OPTS[cpprestsdk]="-DCMAKE_CXX_FLAGS=-Wno-error=enum-constexpr-conversion -DBUILD_TESTS=ON -DBUILD_SAMPLES=ON -DCPPREST_EXCLUDE_WEBSOCKETS=OFF -DWERROR=OFF -DCPPREST_EXPORT_DIR=cmake/cpprestsdk"
OPTS[websocketpp]="-DBUILD_EXAMPLES=ON -DBUILD_TESTS=ON"
OPTS[abseil]="-DBUILD_TESTING=ON -DABSL_BUILD_TESTING=ON -DABSL_USE_EXTERNAL_GOOGLETEST=ON -DABSL_FIND_GOOGLETEST=ON -DABSL_PROPAGATE_CXX_STD=ON -DCMAKE_CXX_STANDARD=17"
OPTS[rocksdb]="-DWITH_GFLAGS=OFF -DWITH_TESTS=OFF -DWITH_BENCHMARK_TOOLS=OFF -DWITH_TOOLS=ON -DWITH_CORE_TOOLS=ON -DWITH_SNAPPY=ON -DWITH_LZ4=ON -DWITH_ZSTD=ON -DWITH_ZLIB=ON -DWITH_BZ2=ON -DFAIL_ON_WARNINGS=OFF -DPORTABLE=ON -DUSE_RTTI=ON -DROCKSDB_BUILD_SHARED=OFF"

for proj in "${PROJECTS[@]}"; do
  src="$(cd "$WORK/src/$proj" && pwd -P)"
  bld="$WORK/build/$proj"
  stamp="${COMMON[*]} ${OPTS[$proj]}"
  if [ -f "$bld/compile_commands.json" ] && [ "$(cat "$bld/.fetch-options" 2>/dev/null)" = "$stamp" ]; then
    echo "fetch: $proj already configured ($bld)"
    continue
  fi
  echo "fetch: configuring $proj"
  # shellcheck disable=SC2086
  cmake -S "$src" -B "$bld" "${COMMON[@]}" ${OPTS[$proj]} >"$WORK/build/$proj.configure.log" 2>&1 || {
    echo "fetch: configuring $proj failed, see $WORK/build/$proj.configure.log" >&2; tail -30 "$WORK/build/$proj.configure.log" >&2; exit 1; }
  echo "$stamp" >"$bld/.fetch-options"
done

# --- 5. versions -----------------------------------------------------------------
{
  echo "# Debian source packages fetched by bench/realcode/fetch.sh"
  for proj in "${PROJECTS[@]}"; do
    pkg="${SRCPKG[$proj]}"
    dsc="$(ls "$WORK/src/${pkg}"_*.dsc 2>/dev/null | head -1)"
    ver="$(sed -n 's/^Version: //p' "$dsc")"
    [ -f "$WORK/src/$proj/DEBIAN-VERSION" ] && ver="$(cat "$WORK/src/$proj/DEBIAN-VERSION")"
    tus="$(python3 -c 'import json,os,sys; print(len({os.path.realpath(os.path.join(e["directory"], e["file"])) for e in json.load(open(sys.argv[1]))}))' "$WORK/build/$proj/compile_commands.json")"
    echo "$proj source=$pkg version=$ver source_files=$tus"
  done
} >"$WORK/versions.txt"
cat "$WORK/versions.txt"
