#!/usr/bin/env bash
# Both typed clients against one live `meeting-reports serve` on a fresh SQLite demo database:
# type-checks the TypeScript client against schema.graphql, then runs it and the Rust client
# on the last month of the demo data. Exits non-zero if either fails. CI runs it (.ci/run).
#
#   examples/run.sh [BINARY]    (default: target/debug/meeting-reports)
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${1:-target/debug/meeting-reports}
mkdir -p target
db=target/typed-clients.db
rm -f "$db" "$db-wal" "$db-shm"
url="sqlite://$db?mode=rwc"
"$bin" --database-url "$url" seed demo >/dev/null
token=$("$bin" --database-url "$url" token owner@demo.example --ttl 1h)
# The demo data covers the twelve months before the seed: its last month, in whole days.
from=$(date -u -d '-29 days' +%F)
to=$(date -u -d '-1 day' +%F)

# A port the system says is free (no fixed port to collide with another server here).
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
"$bin" --database-url "$url" serve --bind "127.0.0.1:$port" >target/typed-clients.log 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break
  kill -0 "$server" 2>/dev/null || { cat target/typed-clients.log; exit 1; }
  sleep 0.1
done
curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || { cat target/typed-clients.log; exit 1; }

export MEETING_REPORTS_URL="http://127.0.0.1:$port/graphql" MEETING_REPORTS_TOKEN="$token"

echo "-- TypeScript client (gql.tada)"
(
  cd examples/ts-client
  npm ci --no-audit --no-fund --loglevel=error
  npm run -s typecheck   # generate, tsc --noEmit, gql.tada check
  npx tsc                # emits dist/
  node dist/main.js "$from" "$to"
)

echo "-- Rust client (graphql_client)"
cargo run -q -p rust-client -- "$from" "$to"
