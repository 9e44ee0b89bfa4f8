#!/usr/bin/env bash
# scripts/ci/build-installers.sh: one OS's installers for release.yml, signed when the secrets are present.
#   DIST_SCRIPT  dist:win | dist:mac | dist:linux (the package.json script that builds them)
# Collects the installers, blockmaps and update feed files (latest*.yml) into release-upload/, and writes
# release-upload/signing-<os>.txt saying how they were signed (publish-release.sh puts it in the release notes).
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${DIST_SCRIPT:?set DIST_SCRIPT to dist:win, dist:mac or dist:linux}"

# Secrets that are not configured arrive as empty strings; electron-builder must see them as absent.
for name in WIN_CSC_LINK WIN_CSC_KEY_PASSWORD CSC_LINK CSC_KEY_PASSWORD APPLE_ID APPLE_APP_SPECIFIC_PASSWORD APPLE_TEAM_ID; do
  if [[ -z "${!name:-}" ]]; then unset "$name"; fi
done

extra=()
signing="unsigned"
case "$DIST_SCRIPT" in
  dist:win)
    os=windows
    if [[ -n "${WIN_CSC_LINK:-}" ]]; then signing="signed (Authenticode)"; fi
    ;;
  dist:mac)
    os=macos
    if [[ -n "${CSC_LINK:-}" ]]; then signing="signed (Developer ID)"; fi
    if [[ -n "${CSC_LINK:-}" && -n "${APPLE_ID:-}" && -n "${APPLE_APP_SPECIFIC_PASSWORD:-}" && -n "${APPLE_TEAM_ID:-}" ]]; then
      extra+=(-c.mac.notarize=true)
      signing="signed (Developer ID) and notarised"
    fi
    ;;
  dist:linux)
    os=linux
    signing="not signed (Linux packages are verified by the SHA-256 checksums)"
    ;;
  *)
    echo "build-installers: unknown DIST_SCRIPT $DIST_SCRIPT" >&2
    exit 1
    ;;
esac
if [[ "$signing" == unsigned ]]; then
  # Without a certificate, never pick one up from the runner's keychain by accident.
  export CSC_IDENTITY_AUTO_DISCOVERY=false
fi

npm run "$DIST_SCRIPT" -- --publish never ${extra[@]+"${extra[@]}"}

mkdir -p release-upload
shopt -s nullglob
for f in release/*.exe release/*.msi release/*.dmg release/*.pkg release/*.AppImage release/*.deb release/*.rpm release/*.blockmap release/*.zip release/latest*.yml; do
  cp "$f" release-upload/
done
echo "$os: $signing" >"release-upload/signing-$os.txt"
echo "build-installers: $os $signing"
ls -l release-upload
