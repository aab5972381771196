#!/usr/bin/env bash
# Renders the readiness report in headless Chromium, saves a screenshot, and fails when
# the page logs anything to the console (errors, refused loads, failed resources): the
# page has no scripts and loads nothing, so any console message is a defect.
#
#   scripts/screenshot-report.sh <cloud assembly dir | report .html> [out.png]
#
# The assembly must hold opex-readiness.html (`cdk-opex report <dir>` writes it).
# WINDOW_SIZE (default 1280,2000) sets the viewport; CHROMIUM the browser binary.
set -euo pipefail

target=${1:?usage: scripts/screenshot-report.sh <cloud assembly dir | report .html> [out.png]}
if [ -d "$target" ]; then html="$target/opex-readiness.html"; else html="$target"; fi
if [ ! -f "$html" ]; then
  echo "screenshot-report: no $html; run 'cdk-opex report $target' first" >&2
  exit 2
fi
html="$(cd "$(dirname "$html")" && pwd)/$(basename "$html")"
out=${2:-${html%.html}.png}
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac

browser=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}
if [ -z "$browser" ]; then
  echo "screenshot-report: no Chromium found (apt-get install -y chromium)" >&2
  exit 2
fi

profile=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$profile" "$log"' EXIT
rm -f "$out"

status=0
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
  --enable-logging=stderr --v=0 --screenshot="$out" --window-size="${WINDOW_SIZE:-1280,2000}" \
  "file://$html" >/dev/null 2>"$log" || status=$?

# Chromium logs page console messages as `...:CONSOLE(line)] "message", source: ...`.
console=$(grep -E ':CONSOLE[:(]|Uncaught|Refused to|Failed to load resource' "$log" || true)
if [ -n "$console" ]; then
  echo "screenshot-report: the page logged to the console:" >&2
  echo "$console" >&2
  exit 1
fi
if [ "$status" -ne 0 ] || [ ! -s "$out" ]; then
  echo "screenshot-report: Chromium failed (exit $status), no screenshot:" >&2
  cat "$log" >&2
  exit 1
fi
echo "screenshot-report: $out ($(wc -c <"$out") bytes); console: no messages"
