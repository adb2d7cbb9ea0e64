#!/bin/sh
# HTTP serving benchmark (issue 8): in one run, wrk against the 2015 edition page served by
# conclave (PostgreSQL, --workers 2, page cache warm) and against the same page of the static
# export served by nginx, both on loopback, 50 connections each. Prints a Markdown section for
# docs/benchmarks.md: requests/s, p50/p99 latency, resident memory of the conclave processes.
#
#   bench/http/run.sh                 # needs: npx tsc done, wrk, nginx, PostgreSQL (see below)
#   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres DURATION=15 bench/http/run.sh
#
# It creates (and drops) its own database on the BENCH_DATABASE_URL server.
set -eu
cd "$(dirname "$0")/../.."
ADMIN_URL=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
DURATION=${DURATION:-15}
CONNS=${CONNS:-50}
THREADS=${THREADS:-2}
PORT_APP=${PORT_APP:-3917}
PORT_NGINX=${PORT_NGINX:-3918}
PAGE=/netconf/2015/
work=$(mktemp -d /tmp/conclave-bench-http.XXXXXX)
chmod 755 "$work"   # nginx's workers (www-data) read the export in it
db=conclave_bench_http_$$
url=$(node -e "const u=new URL(process.argv[1]);u.pathname='/$db';console.log(u.toString())" "$ADMIN_URL")
app_pid=; nginx_pid=
cleanup() {
  [ -n "$app_pid" ] && kill -TERM "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill -QUIT "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null || true
  psql "$ADMIN_URL" -qc "drop database if exists $db with (force)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
psql "$ADMIN_URL" -qc "create database $db" >/dev/null

export DATABASE_URL=$url CONCLAVE_DATA=$work/data HOST=127.0.0.1 PORT=$PORT_APP LOG_LEVEL=warn
node bin/conclave.js serve --workers 2 --bootstrap >"$work/serve.log" 2>&1 &
app_pid=$!
i=0; until grep -qs 'conclave: open' "$work/serve.log"; do i=$((i+1)); [ $i -gt 600 ] && { cat "$work/serve.log"; exit 1; }; sleep 0.1; done
node bin/conclave.js export --out "$work/site" >/dev/null

cat >"$work/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  include /etc/nginx/mime.types;
  sendfile on;
  tcp_nopush on;
  server {
    listen 127.0.0.1:$PORT_NGINX;
    root $work/site;
  }
}
CONF
nginx -p "$work" -c "$work/nginx.conf" &
nginx_pid=$!
sleep 0.5

# Both answer the same page (conclave's has its security headers; the bytes are the export's
# with relative links).
curl -sf -o /dev/null "http://127.0.0.1:$PORT_APP$PAGE"
curl -sf -o /dev/null "http://127.0.0.1:$PORT_NGINX$PAGE"
# Warm the cache of every worker.
wrk -t1 -c4 -d2s "http://127.0.0.1:$PORT_APP$PAGE" >/dev/null

load=$(cut -d' ' -f1-3 /proc/loadavg)
run() { wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency "$1" >"$2"; }
run "http://127.0.0.1:$PORT_APP$PAGE" "$work/app.txt"
pids="$app_pid $(pgrep -P "$app_pid" | tr '\n' ' ')"
rss=$(for p in $pids; do awk '/VmRSS/ {print $2}' /proc/$p/status; done | tr '\n' ' ')
# PSS: each process's own pages plus its share of those it shares (Node's code, read by all
# three), so the sum is what the server takes; RSS counts the shared pages once per process.
pss=$(for p in $pids; do awk '/^Pss:/ {print $2}' /proc/$p/smaps_rollup; done | tr '\n' ' ')
run "http://127.0.0.1:$PORT_NGINX$PAGE" "$work/nginx.txt"

stat() { # file field → value
  case $2 in
    rps) awk '/Requests\/sec/ {print $2}' "$1" ;;
    p50) awk '$1=="50%" {print $2}' "$1" ;;
    p99) awk '$1=="99%" {print $2}' "$1" ;;
    errors) awk '/Non-2xx|Socket errors/ {print}' "$1" | tr '\n' ' ' ;;
  esac
}
app_rps=$(stat "$work/app.txt" rps); nginx_rps=$(stat "$work/nginx.txt" rps)
ratio=$(awk -v a="$app_rps" -v n="$nginx_rps" 'BEGIN { printf "%.2f", a / n }')
total_mb=$(echo "$rss" | awk '{ s = 0; for (i = 1; i <= NF; i++) s += $i; printf "%.0f", s / 1024 }')
per_mb=$(echo "$rss" | awk '{ for (i = 1; i <= NF; i++) printf "%s%.0f", (i > 1 ? " + " : ""), $i / 1024 }')
pss_mb=$(echo "$pss" | awk '{ s = 0; for (i = 1; i <= NF; i++) s += $i; printf "%.0f", s / 1024 }')
bytes=$(curl -s "http://127.0.0.1:$PORT_APP$PAGE" | wc -c)

cat <<MD

## HTTP serving

\`bench/http/run.sh\` (DURATION=$DURATION) on $(nproc) cores, $(date -u +%Y-%m-%d): \`wrk -t$THREADS -c$CONNS -d${DURATION}s --latency\`
against \`$PAGE\` ($bytes bytes, no compression asked) — conclave \`serve --workers 2\` on PostgreSQL
$(psql "$ADMIN_URL" -Atc 'show server_version' | cut -d' ' -f1) with the page cache warm (CONCLAVE_CACHE=${CONCLAVE_CACHE:-notify}, LOG_LEVEL=warn), and
nginx $(nginx -v 2>&1 | sed 's|.*/||') (2 workers, sendfile) serving the same page from \`conclave export\`. wrk, nginx,
conclave and PostgreSQL share the machine; its load average when the run began: $load.

| server | requests/s | p50 | p99 | resident memory: PSS total (RSS per process) |
| --- | ---: | ---: | ---: | --- |
| conclave (2 workers) | $app_rps | $(stat "$work/app.txt" p50) | $(stat "$work/app.txt" p99) | $pss_mb MB ($per_mb MB RSS: primary and workers; RSS sum $total_mb) |
| nginx, static export | $nginx_rps | $(stat "$work/nginx.txt" p50) | $(stat "$work/nginx.txt" p99) | — |

conclave / nginx: **${ratio}×** requests per second. $( [ -n "$(stat "$work/app.txt" errors)" ] && echo "wrk reported for conclave: $(stat "$work/app.txt" errors)")
MD
