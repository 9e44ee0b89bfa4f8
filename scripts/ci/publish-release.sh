#!/usr/bin/env bash
# scripts/ci/publish-release.sh: the last step of release.yml. Adds the CycloneDX SBOM and SHA-256 checksums to the
# installers in release-upload/, writes the release notes (saying plainly which installers are unsigned) and
# creates the GitHub release for $TAG with everything attached (or adds to it when it exists).
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${TAG:?set TAG to the version tag, e.g. v0.2.0}"
out=release-upload
[[ -d "$out" ]] || { echo "publish-release: $out/ is missing (download the installers first)" >&2; exit 1; }

# The SBOM of the tree npm ci installed. Dev dependencies stay in: the renderer's libraries (React, zustand…) are
# devDependencies that the bundler ships inside the app; cyclonedx-npm flags the rest as development-only.
npx --no-install cyclonedx-npm --output-format JSON --output-file "$out/techpass-onboarding-$TAG.cdx.json"

notes="$(mktemp)"
{
  echo "TechPass Onboarding $TAG"
  echo
  echo "Signing:"
  for f in "$out"/signing-*.txt; do echo "- $(cat "$f")"; done
  if grep -qh unsigned "$out"/signing-*.txt; then
    echo
    echo "Some installers are UNSIGNED: the repository had no signing certificate for them. Windows SmartScreen and"
    echo "macOS Gatekeeper will warn; check each file against SHA256SUMS.txt before you deploy it."
  fi
  echo
  echo "Verify a download: sha256sum -c SHA256SUMS.txt (Linux), shasum -a 256 -c SHA256SUMS.txt (macOS),"
  echo "Get-FileHash <file> -Algorithm SHA256 (Windows). The SBOM is CycloneDX JSON."
} >"$notes"
rm -f "$out"/signing-*.txt
(cd "$out" && sha256sum -- * >SHA256SUMS.txt)

if gh release view "$TAG" >/dev/null 2>&1; then
  gh release upload "$TAG" "$out"/* --clobber
else
  gh release create "$TAG" --verify-tag --title "TechPass Onboarding $TAG" --notes-file "$notes" "$out"/*
fi
