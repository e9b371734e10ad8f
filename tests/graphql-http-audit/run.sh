#!/usr/bin/env bash
# graphql-http's audit against a live `meeting-reports serve` on a fresh SQLite demo database:
# exits non-zero on any MUST failure or SHOULD warning (audit.mjs). CI runs it (.ci/run).
#
#   tests/graphql-http-audit/run.sh [BINARY]    (default: target/debug/meeting-reports)
set -euo pipefail
cd "$(dirname "$0")/../.."

bin=${1:-target/debug/meeting-reports}
mkdir -p target
db=target/graphql-http-audit.db
rm -f "$db" "$db-wal" "$db-shm"
url="sqlite://$db?mode=rwc"
"$bin" --database-url "$url" seed demo >/dev/null
token=$("$bin" --database-url "$url" token owner@demo.example --ttl 1h)

# A port the system says is free (no fixed port to collide with another server here).
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
"$bin" --database-url "$url" serve --bind "127.0.0.1:$port" >target/graphql-http-audit.log 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break
  kill -0 "$server" 2>/dev/null || { cat target/graphql-http-audit.log; exit 1; }
  sleep 0.1
done
curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || { cat target/graphql-http-audit.log; exit 1; }

(cd tests/graphql-http-audit && npm ci --no-audit --no-fund --loglevel=error)
GRAPHQL_URL="http://127.0.0.1:$port/graphql" GRAPHQL_TOKEN="$token" node tests/graphql-http-audit/audit.mjs
