#!/usr/bin/env bash
# The report views (`/`) in a real browser: Debian's chromium driven by playwright-core, against
# a live `meeting-reports serve` on a fresh SQLite demo database with a webhook secret (so the
# live-update test can post signed events). Writes the screenshots to docs/screenshots/ (or
# $SCREENSHOTS), made smaller with pngquant where it is installed. CI runs it (.ci/run).
#
#   tests/browser/run.sh [BINARY]    (default: target/debug/meeting-reports)
#   CHROMIUM=/path/to/chromium tests/browser/run.sh    (default: /usr/bin/chromium)
set -euo pipefail
cd "$(dirname "$0")/../.."

bin=${1:-target/debug/meeting-reports}
mkdir -p target
db=target/browser-tests.db
rm -f "$db" "$db-wal" "$db-shm"
url="sqlite://$db?mode=rwc"
"$bin" --database-url "$url" seed demo >/dev/null
owner=$("$bin" --database-url "$url" token owner@demo.example --ttl 1h)
member=$("$bin" --database-url "$url" token member@demo.example --ttl 1h)
secret="browser-tests-$(date +%s)-$RANDOM"

# A port the system says is free (no fixed port to collide with another server here).
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
ZOOM_WEBHOOK_SECRET="$secret" "$bin" --database-url "$url" serve --bind "127.0.0.1:$port" \
  >target/browser-tests.log 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break
  kill -0 "$server" 2>/dev/null || { cat target/browser-tests.log; exit 1; }
  sleep 0.1
done
curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || { cat target/browser-tests.log; exit 1; }

(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
shots=${SCREENSHOTS:-$PWD/docs/screenshots}
status=0
BASE_URL="http://127.0.0.1:$port" OWNER_TOKEN="$owner" MEMBER_TOKEN="$member" \
  WEBHOOK_SECRET="$secret" SCREENSHOTS="$shots" \
  node --test --test-concurrency=1 --test-timeout=120000 tests/browser/views.test.mjs || status=$?
if command -v pngquant >/dev/null && ls "$shots"/*.png >/dev/null 2>&1; then
  pngquant --force --skip-if-larger --quality 70-95 --ext .png "$shots"/*.png || true
fi
if [ "$status" -ne 0 ]; then
  echo "-- server log (target/browser-tests.log), last lines"
  tail -n 40 target/browser-tests.log
fi
exit "$status"
