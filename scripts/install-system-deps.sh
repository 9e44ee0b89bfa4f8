#!/usr/bin/env bash
# scripts/install-system-deps.sh: the Linux system packages the tests (and the web host's app window) need.
#   chromium        Playwright's browser (Playwright never downloads its own here)
#   gnome-keyring   a real Secret Service for the keychain tests, with dbus (dbus-run-session)
#   postgresql      the backend's PostgreSQL test suite (a throw-away cluster is started by the tests)
#   + ShellCheck    lints every CI shell script and workflow `run:` step (tests/unit/workflows.test.ts)
#   fonts-noto-cjk  Noto Sans CJK SC, so Chinese screenshots and layout tests show real glyphs, not boxes
#   prometheus      promtool checks deploy/backend/ and a real Prometheus scrapes a test backend (the service the
#                   package starts is stopped and disabled: tests start their own with a temporary config)
# As root it runs apt-get; otherwise it prints the exact sudo command.
set -euo pipefail
PKGS=(chromium gnome-keyring dbus dbus-x11 libsecret-tools postgresql fonts-liberation fonts-noto-cjk xvfb xauth shellcheck prometheus)
if [[ "$(uname -s)" != Linux ]]; then
  echo "install-system-deps: nothing to install on $(uname -s); see README for this platform's prerequisites."
  exit 0
fi
missing=()
for p in "${PKGS[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-system-deps: all present (${PKGS[*]})"
  exit 0
fi
if [[ "$(id -u)" -ne 0 ]]; then
  echo "install-system-deps: missing ${missing[*]}. Run:"
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}"
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
if command -v systemctl >/dev/null 2>&1; then
  for unit in prometheus prometheus-node-exporter; do
    systemctl stop "$unit" >/dev/null 2>&1 || true
    systemctl disable "$unit" >/dev/null 2>&1 || true
  done
fi
echo "install-system-deps: installed ${missing[*]}"
