#!/bin/sh
# scripts/with-keyring.sh <command> [args...]
# Runs <command> inside a private D-Bus session bus with a fresh, unlocked gnome-keyring (org.freedesktop.secrets).
# The keyring files live in a throw-away folder, so a stale login.keyring with another password can never leave the
# collection locked. The command's exit code is passed through.
set -e
for tool in dbus-run-session gnome-keyring-daemon; do
  command -v "$tool" >/dev/null 2>&1 || { echo "with-keyring: '$tool' is missing. Install it: sudo apt-get install dbus gnome-keyring (or run scripts/install-system-deps.sh)" >&2; exit 127; }
done
KR_DIR=$(mktemp -d /tmp/techpass-keyring.XXXXXX)
trap 'rm -rf "$KR_DIR"' EXIT
export KR_DIR
dbus-run-session -- sh -c '
  eval "$(printf %s "${KEYRING_PASSWORD:-ci-keyring-pw}" | XDG_DATA_HOME="$KR_DIR" gnome-keyring-daemon --unlock --components=secrets 2>/dev/null | sed "s/^/export /")"
  exec "$@"' with-keyring "$@"
