#!/usr/bin/env bash
# End-to-end test of the extension in a real VS Code: code-server (VS Code in
# the browser) with the packaged .vsix installed, driven through headless
# Chromium by playwright-core, against the real `kith lsp`. Using the UI as a
# person would, it opens the fixture vault and checks that a kith diagnostic
# reaches the Problems panel, that "kith: Show Agenda" lists the contact and
# an item opens its note at the line, that `[[` completes contact names, that
# the quick fix clears the problem and the agenda, and that a missing
# executable brings the install notification. It saves a screenshot after
# each check; the last output line is `ui: N passed, N failed`.
#
# Usage:  editors/vscode/test/ui.sh
#
# Environment:
#   KITH_BIN       the kith executable (default: target/debug/kith in the repo)
#   KITH_UI_ARTIFACTS  where screenshots and logs go (default: a temp folder,
#                  printed at the end)
#   KITH_UI_KEEP=1 keep the temp folder (vault, VS Code profile, logs)
#   CHROMIUM       the browser (default: /usr/bin/chromium)
#
# Needs Node.js 20 with npm, a C++ toolchain and python3 (for the native
# modules), Debian's `chromium` and `ripgrep` (installed with apt-get when
# run as root), and the npm registry. Run by hand; optional in CI.
#
# Why it is put together this way:
# - code-server 4.100.3 is the last release that runs on Node 20 (4.103 and
#   later need Node 22). It is installed with --ignore-scripts because its
#   postinstall fetches a ripgrep binary and Node headers from outside the
#   npm registry; this script does that step's work itself: it installs the
#   dependencies of code-server's VS Code, builds the native modules with
#   node-gyp against the local Node headers, and links Debian's `rg` where
#   VS Code looks for its own.
# - The browser is Debian's chromium, not a Playwright download, so only
#   playwright-core is used.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ext_dir=$(dirname "$here")
repo=$(cd "$ext_dir/../.." && pwd)
kith_bin=${KITH_BIN:-$repo/target/debug/kith}
chromium=${CHROMIUM:-/usr/bin/chromium}
vault_src=$repo/editors/nvim/test/vault
today=2026-12-01

log() { printf 'ui.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# --- Prerequisites --------------------------------------------------------

command -v node >/dev/null || die "Node.js 20 or newer is needed"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" = 20 ] || log "warning: code-server 4.100.3 is built for Node 20; this is Node $node_major"

missing_debs=()
[ -x "$chromium" ] || missing_debs+=(chromium)
command -v rg >/dev/null || missing_debs+=(ripgrep)
if [ ${#missing_debs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing ${missing_debs[*]} with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing_debs[@]}" >/dev/null
  else
    die "install ${missing_debs[*]} (Debian: apt-get install ${missing_debs[*]})"
  fi
fi

if [[ "$kith_bin" != /* ]]; then kith_bin=$repo/$kith_bin; fi
[ -x "$kith_bin" ] || die "no kith executable at $kith_bin (build it with cargo build, or set KITH_BIN)"
# `kith lsp` on an empty stdin must exit on its own, not reject the subcommand.
if ! lsp_probe=$(timeout 10 "$kith_bin" lsp </dev/null 2>&1) && grep -qi 'unrecognized subcommand' <<<"$lsp_probe"; then
  die "$kith_bin has no 'lsp' subcommand yet"
fi

# --- The extension --------------------------------------------------------

log "packaging the extension"
(
  cd "$ext_dir"
  [ -d node_modules ] || npm ci --no-audit --no-fund >/dev/null
  npm run --silent package >/dev/null
)
vsix=$ext_dir/kith.vsix

# --- code-server ----------------------------------------------------------

ui_dir=$here/ui
cs_dir=$ui_dir/node_modules/code-server
stamp=$ui_dir/node_modules/.kith-ui-ready
if [ ! -f "$stamp" ] || [ "$ui_dir/package-lock.json" -nt "$stamp" ]; then
  log "installing code-server (once; about a minute)"
  (cd "$ui_dir" && npm ci --ignore-scripts --no-audit --no-fund >/dev/null)

  node_gyp=(node "$ui_dir/node_modules/node-gyp/bin/node-gyp.js")
  # The headers of the running Node, so that node-gyp need not download them.
  node_prefix=$(node -p 'require("path").resolve(process.execPath, "../..")')
  [ -f "$node_prefix/include/node/node_api.h" ] ||
    die "no Node headers under $node_prefix/include/node (Debian: apt-get install libnode-dev, or use Node's official build)"
  build_native() {
    local dir=$1; shift
    (cd "$dir" && "${node_gyp[@]}" rebuild --nodedir="$node_prefix" "$@" >"$dir/kith-build.log" 2>&1) ||
      die "building $dir failed; see $dir/kith-build.log"
  }
  # argon2 hashes code-server's password and is loaded even with --auth none.
  # Its install script (node-pre-gyp) would first try a download from
  # GitHub, so node-gyp gets the variables node-pre-gyp would pass.
  argon2=$ui_dir/node_modules/argon2
  build_native "$argon2" --module_name=argon2 --module_path="$argon2/lib/binding/napi-v3" --napi_build_version=3
  # code-server's VS Code has dependencies of its own, pinned by its
  # npm-shrinkwrap.json (`npm install`, as code-server's postinstall does:
  # the published shrinkwrap is not exact enough for `npm ci`). Of its native
  # modules, it needs its log, its process watchdog and the terminal;
  # kerberos (proxy authentication) and the Windows-only ones are not needed.
  (cd "$cs_dir/lib/vscode" && npm install --omit=dev --ignore-scripts --no-audit --no-fund >/dev/null)
  for module in @vscode/spdlog native-watchdog node-pty; do
    build_native "$cs_dir/lib/vscode/node_modules/$module"
  done
  # What code-server's postinstall would do besides building.
  ln -sfn node_modules "$cs_dir/lib/vscode/node_modules.asar"
  mkdir -p "$cs_dir/lib/vscode/node_modules/@vscode/ripgrep/bin"
  ln -sf "$(command -v rg)" "$cs_dir/lib/vscode/node_modules/@vscode/ripgrep/bin/rg"
  touch "$stamp"
fi

# --- A fresh profile and vault --------------------------------------------

work=$(mktemp -d "${TMPDIR:-/tmp}/kith-ui.XXXXXX")
artifacts=${KITH_UI_ARTIFACTS:-$work/artifacts}
mkdir -p "$artifacts" "$work/user/User" "$work/user/Machine" "$work/extensions"
cp -R "$vault_src" "$work/vault"

cs_pid=
cleanup() {
  if [ -n "$cs_pid" ]; then kill "$cs_pid" 2>/dev/null || true; wait "$cs_pid" 2>/dev/null || true; fi
  if [ "${KITH_UI_KEEP:-}" = 1 ]; then
    log "kept $work"
  elif [ -z "${KITH_UI_ARTIFACTS:-}" ]; then
    # Keep the screenshots and logs, drop the rest.
    mv "$artifacts" "$work.artifacts" && rm -rf "$work" && log "screenshots and logs: $work.artifacts"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

# Quiet, deterministic VS Code: no welcome page, no trust prompt, no
# telemetry or update checks; `kith.today` fixes the date for the findings.
cat >"$work/user/User/settings.json" <<EOF
{
  "kith.today": "$today",
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "security.workspace.trust.enabled": false,
  "extensions.ignoreRecommendations": true,
  "extensions.autoCheckUpdates": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "chat.commandCenter.enabled": false
}
EOF
# kith.path is a machine setting: code-server is a remote window to VS Code,
# which applies such settings from the remote machine's settings file only,
# as it would for Remote-SSH.
cat >"$work/user/Machine/settings.json" <<EOF
{
  "kith.path": "$kith_bin"
}
EOF

# Everything code-server writes goes under $work, not the home folder.
code_server=(node "$cs_dir/out/node/entry.js" --config "$work/config.yaml"
  --user-data-dir "$work/user" --extensions-dir "$work/extensions")
"${code_server[@]}" --install-extension "$vsix" >"$artifacts/install-extension.log" 2>&1 ||
  die "installing the .vsix failed; see $artifacts/install-extension.log"

# Port 0: the system picks a free port, which code-server then logs.
"${code_server[@]}" --auth none --bind-addr 127.0.0.1:0 --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override \
  "$work/vault" >"$artifacts/code-server.log" 2>&1 &
cs_pid=$!

url=
for _ in $(seq 1 120); do
  url=$(sed -n 's/.*HTTP server listening on \(http:[^ ]*\).*/\1/p' "$artifacts/code-server.log" | head -n 1)
  [ -n "$url" ] && break
  kill -0 "$cs_pid" 2>/dev/null || die "code-server exited; see $artifacts/code-server.log"
  sleep 0.5
done
[ -n "$url" ] || die "code-server did not start within 60 s; see $artifacts/code-server.log"
log "code-server at $url"

status=0
node "$ui_dir/ui.mjs" --url "$url" --vault "$work/vault" \
  --chromium "$chromium" --artifacts "$artifacts" || status=$?
if [ "$status" -ne 0 ]; then
  # The server's own log, from the extension's output channel.
  find "$work/user/logs" -name '*kith*' -exec cp {} "$artifacts/" \; 2>/dev/null || true
fi
exit "$status"
