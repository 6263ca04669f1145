# Sourced by scripts/*: installs the Debian packages the project needs when they are missing.
# Runs `apt-get update` at most once, and only when something has to be installed.

# What building idverify needs: crates/vision compiles libheif 1.23 from the libheif-sys
# crate's sources (Debian 12's libheif 1.15 is older than any maintained binding takes) with
# cmake, against Debian's HEVC decoder libde265. libheif's cmake also picks up encoders that
# are installed (x265 from libheif-dev, say), and x265 links libnuma: its -dev is needed then.
build_debs() {
  local pkg
  for pkg in cmake g++ pkg-config libde265-dev libnuma-dev; do
    dpkg -s "$pkg" >/dev/null 2>&1 || echo "$pkg"
  done
}

install_debs() {
  if [ $# -gt 0 ]; then
    echo "installing: $*" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  fi
}

# Called by scripts/run: only what the build needs.
ensure_build_debs() {
  # shellcheck disable=SC2046
  install_debs $(build_debs)
}

ensure_debs() {
  local missing=()
  # shellcheck disable=SC2207
  missing+=($(build_debs))
  # The intake tests make HEIC files with heif-enc, an encoder independent of the reader.
  command -v heif-enc >/dev/null 2>&1 || missing+=(libheif-examples)
  [ -x /usr/lib/postgresql/15/bin/postgres ] || ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
  # The token tests verify our ES512 signatures with an independent JOSE library (PyJWT).
  /usr/bin/python3 -c 'import jwt, cryptography' >/dev/null 2>&1 || missing+=(python3-jwt python3-cryptography)
  # The curl walk-through of docs/integration.md, which crates/cli/tests/walkthrough.rs runs.
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  command -v jq >/dev/null 2>&1 || missing+=(jq)
  install_debs "${missing[@]}"
}
