#!/usr/bin/env bash
# make screenshots: the demo config refreshed into a temp folder, served by
# `feedd run`, and headless Chromium's PNGs of the front page, one category
# page and one article page at a phone (390×844) and a desktop (1280×900)
# width, into screenshots/. FEEDD picks the binary (default: the release build).
set -euo pipefail
cd "$(dirname "$0")/.."
FEEDD=${FEEDD:-.build/release/feedd}
PORT=${PORT:-18089}
OUT=${OUT:-screenshots}
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || { echo "chromium is not installed (make screenshots installs it)" >&2; exit 1; }

tmp=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

ln -s "$PWD/demo/upstream" "$tmp/upstream"
sed -e "s|^storage: .*|storage: $tmp/demo.sqlite|" -e "s|^output: .*|output: $tmp/public|" \
    -e "s|listen: .*|listen: 127.0.0.1:$PORT|" demo/config.yaml > "$tmp/config.yaml"
"$FEEDD" refresh --config "$tmp/config.yaml" >/dev/null
"$FEEDD" run --config "$tmp/config.yaml" >"$tmp/run.log" 2>&1 &
pid=$!
base="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do curl -fs -o /dev/null "$base/" && break; sleep 0.1; done
curl -fs -o /dev/null "$base/" || { echo "feedd run did not serve $base/" >&2; cat "$tmp/run.log" >&2; exit 1; }

# The first category after all/ that has headlines, and its first article.
category=$(grep -o 'href="[a-z0-9]*/"' "$tmp/public/index.html" | grep -v '"all/"' | head -1 | sed 's/href="\(.*\)"/\1/')
article=$(grep -o "href=\"${category}NW[0-9]*\.html\"" "$tmp/public/index.html" | head -1 | sed 's/href="\(.*\)"/\1/')
[ -n "$category" ] && [ -n "$article" ] || { echo "no category or article page on the front page" >&2; exit 1; }

mkdir -p "$OUT"
for page in "front:" "category:$category" "article:$article"; do
  name=${page%%:*}; path=${page#*:}
  for size in phone:390,844 desktop:1280,900; do
    "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
      --screenshot="$OUT/$name-${size%%:*}.png" --window-size="${size#*:}" "$base/$path" >/dev/null 2>&1
    echo "$OUT/$name-${size%%:*}.png  $base/$path"
  done
done
