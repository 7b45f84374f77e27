#!/usr/bin/env bash
# Make the README's two images with the project's own commands:
#   docs/stance_trajectory.png  the replication's seed-essay figure (ggtext replicate)
#   docs/html_report.png        headless Chromium's screenshot of `ggtext analyze --html` on the seed essay
# Usage: scripts/make_docs_images.sh   (needs Debian's chromium; the data directory only for the corpora,
# which this script does not need: it replicates a one-document slice, the seed figure does not depend on it)
set -euo pipefail
cd "$(dirname "$0")/.."
GGTEXT="${GGTEXT:-.venv/bin/ggtext}"
CHROMIUM="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || echo /usr/bin/chromium)}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p docs

"$GGTEXT" analyze corpora/seed_essay.txt --html "$work/seed_report.html" > /dev/null
"$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --host-resolver-rules="MAP * ~NOTFOUND" --hide-scrollbars --user-data-dir="$work/profile" \
  --window-size=1000,1400 --screenshot="docs/html_report.png" "file://$work/seed_report.html" 2> /dev/null

mkdir -p "$work/no-corpora"
"$GGTEXT" replicate --data "$work/no-corpora" --out "$work/results" 2> /dev/null
cp "$work/results/stance_trajectory.png" docs/stance_trajectory.png
echo "wrote docs/html_report.png and docs/stance_trajectory.png"
