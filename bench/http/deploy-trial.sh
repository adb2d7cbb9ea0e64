#!/bin/sh
# The loopback trial of docs/deploy.md, step by step, without root and without systemd as PID 1:
# PostgreSQL role and database, the environment file, `systemd-analyze verify` of the unit, the
# unit's ExecStart run by hand, nginx with a self-signed certificate in front (foreground, -p),
# the site over HTTPS, a rolling restart (SIGHUP) and a full stop/start under wrk load, a backup
# restored into a fresh database, and an upgrade (db migrate). Prints what it saw.
#
#   ADMIN_URL=postgres://postgres@127.0.0.1:5432/postgres bench/http/deploy-trial.sh
set -eu
cd "$(dirname "$0")/../.."
repo=$(pwd)
ADMIN_URL=${ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
APP_PORT=${APP_PORT:-3927}
TLS_PORT=${TLS_PORT:-8443}
HTTP_PORT=${HTTP_PORT:-8080}
t=$(mktemp -d /tmp/conclave-deploy.XXXXXX)
chmod 755 "$t"   # nginx's workers (www-data) read the export in it
db=conclave_deploy_$$
db2=conclave_restored_$$
app_pid=; nginx_pid=
say() { printf '\n== %s\n' "$*"; }
cleanup() {
  [ -n "$app_pid" ] && kill -TERM "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill -QUIT "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null || true
  psql "$ADMIN_URL" -qc "drop database if exists $db with (force)" -c "drop database if exists $db2 with (force)" >/dev/null 2>&1 || true
  psql "$ADMIN_URL" -qc "drop role if exists conclave_trial" >/dev/null 2>&1 || true
  rm -rf "$t"
}
trap cleanup EXIT INT TERM
u() { node -e "const u=new URL(process.argv[1]);u.username='conclave_trial';u.password='';u.pathname='/'+process.argv[2];console.log(u.toString())" "$ADMIN_URL" "$1"; }

say "1. PostgreSQL: a role and a database owned by it"
psql "$ADMIN_URL" -qc "create role conclave_trial login" -c "create database $db owner conclave_trial"
DB_URL=$(u "$db")

say "2. the environment file (/etc/conclave/env in production)"
mkdir -p "$t/etc" "$t/var/lib/conclave" "$t/var/www/conclave-export"
cat >"$t/etc/env" <<ENV
NODE_ENV=production
DATABASE_URL=$DB_URL
CONCLAVE_DATA=$t/var/lib/conclave
HOST=127.0.0.1
PORT=$APP_PORT
BASE_URL=https://localhost:$TLS_PORT
MAIL_FROM="Netconf committee <committee@localhost>"
LOG_LEVEL=info
ENV
cat "$t/etc/env"

say "3. the unit: systemd-analyze verify (systemd is not PID 1 here)"
sed -e "s|/opt/conclave|$repo|g" -e "s|/etc/conclave/env|$t/etc/env|" -e "s|/var/lib/conclave|$t/var/lib/conclave|" \
  -e "s|^User=.*|User=root|" -e "s|^Group=.*|Group=root|" bench/http/deploy/conclave.service >"$t/conclave.service"
if command -v systemd-analyze >/dev/null; then systemd-analyze verify "$t/conclave.service" && echo "systemd-analyze verify: no complaints"; fi

say "4. schema and archive (once), then the unit's ExecStart by hand"
set -a; . "$t/etc/env"; set +a
node bin/conclave.js db migrate
node bin/conclave.js import archive/netconf/*.txt >/dev/null && echo "imported the bundled archive"
exec_start=$(sed -n 's/^ExecStart=//p' "$t/conclave.service")
start_app() {
  $exec_start >>"$t/serve.log" 2>&1 &
  app_pid=$!
  i=0; until grep -q "conclave: open" "$t/serve.log" 2>/dev/null && [ "$(grep -c 'conclave: open' "$t/serve.log")" -ge "$1" ]; do
    i=$((i+1)); [ $i -gt 900 ] && { cat "$t/serve.log"; exit 1; }; sleep 0.1; done
}
echo "$exec_start"
start_app 1
grep '^conclave:' "$t/serve.log"

say "5. the static export (the fallback nginx serves while conclave restarts)"
node bin/conclave.js export --out "$t/var/www/conclave-export"

say "6. nginx with TLS (self-signed for the trial), foreground with -p"
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=localhost -keyout "$t/key.pem" -out "$t/cert.pem" 2>/dev/null
sed -e "s|@APP_PORT@|$APP_PORT|" -e "s|@LISTEN_TLS@|127.0.0.1:$TLS_PORT|" -e "s|@LISTEN_HTTP@|127.0.0.1:$HTTP_PORT|" \
  -e "s|@SERVER_NAME@|localhost|" -e "s|@CERT@|$t/cert.pem|" -e "s|@KEY@|$t/key.pem|" -e "s|@EXPORT@|$t/var/www/conclave-export|" \
  bench/http/deploy/nginx-site.conf >"$t/site.conf"
cat >"$t/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $t/nginx.pid;
error_log $t/nginx-error.log warn;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  access_log $t/access.log;
  client_body_temp_path $t/client_body;
  proxy_temp_path $t/proxy;
  include $t/site.conf;
}
CONF
nginx -t -p "$t" -c "$t/nginx.conf" 2>&1 | tail -1
nginx -p "$t" -c "$t/nginx.conf" &
nginx_pid=$!
sleep 0.5
curl -sk -o /dev/null -w "https://localhost:$TLS_PORT/netconf/2015/ -> %{http_code}, %{size_download} bytes\n" "https://localhost:$TLS_PORT/netconf/2015/"
curl -sk -D - -o /dev/null "https://localhost:$TLS_PORT/netconf/2015/" | grep -i '^x-request-id\|^etag\|^x-cache' | tr -d '\r'
curl -s -o /dev/null -w "http://localhost:$HTTP_PORT/ -> %{http_code} %{redirect_url}\n" "http://localhost:$HTTP_PORT/"
curl -sk -w "\n" "https://localhost:$TLS_PORT/readyz"
rid=$(curl -sk -D - -o /dev/null "https://localhost:$TLS_PORT/people/" | sed -n 's/^x-request-id: //Ip' | tr -d '\r')
grep -q "$rid" "$t/serve.log" && echo "nginx's request id $rid is in conclave's log"

load() { # seconds → wrk summary through nginx
  wrk -t2 -c20 -d"$1"s "https://localhost:$TLS_PORT/netconf/2015/" >"$t/wrk.txt" 2>&1
  grep -E 'requests in|Non-2xx|Socket errors' "$t/wrk.txt" | sed 's/^ */  wrk: /'
}

say "7. rolling restart under load (systemctl reload = SIGHUP)"
load 8 &
wrk_pid=$!
sleep 2
kill -HUP "$app_pid"
wait $wrk_pid
i=0; until grep -q 'restart done' "$t/serve.log" || [ $i -gt 300 ]; do i=$((i+1)); sleep 0.1; done
grep -E 'SIGHUP|retiring|restart done' "$t/serve.log" | sed 's/^/  /'
echo "  statuses nginx logged so far:"
awk '{print $9}' "$t/access.log" | sort | uniq -c | sed 's/^/  /'
: >"$t/access.log"; kill -USR1 "$nginx_pid"

say "8. stop and start under load (systemctl restart = SIGTERM, then ExecStart again)"
load 10 &
wrk_pid=$!
sleep 2
kill -TERM "$app_pid"
code=0; wait "$app_pid" || code=$?
echo "  conclave stopped, exit code $code; starting it again"
start_app 2
wait $wrk_pid
echo "  statuses nginx logged during the stop and start (499: wrk closing its connections at the end):"
awk '{print $9}' "$t/access.log" | sort | uniq -c | sed 's/^/  /'
grep -E 'SIGTERM|stopped|died' "$t/serve.log" | sed 's/^/  /'

say "9. backup, restore into a fresh database, compare exports"
node bin/conclave.js backup "$t/backup.gz"
psql "$ADMIN_URL" -qc "create database $db2 owner conclave_trial"
DATABASE_URL=$(u "$db2") CONCLAVE_DATA="$t/restored" node bin/conclave.js restore "$t/backup.gz"
BASE_URL=https://localhost:$TLS_PORT node bin/conclave.js export --out "$t/export-a" >/dev/null
DATABASE_URL=$(u "$db2") CONCLAVE_DATA="$t/restored" BASE_URL=https://localhost:$TLS_PORT node bin/conclave.js export --out "$t/export-b" >/dev/null
diff -r "$t/export-a" "$t/export-b" >/dev/null && echo "  the two exports are byte-identical ($(find "$t/export-a" -type f | wc -l) files)"

say "10. upgrade (the guide's step 9): backup, stop, migrate, start"
node bin/conclave.js backup "$t/before-upgrade.gz"
kill -TERM "$app_pid"; wait "$app_pid" || true
curl -sk -D - -o /dev/null "https://localhost:$TLS_PORT/netconf/2015/" | grep -i '^HTTP\|^x-served-by' | tr -d '\r' | sed 's/^/  while stopped: /'
node bin/conclave.js db migrate
start_app 3
curl -sk -w "\n" "https://localhost:$TLS_PORT/readyz"
echo
echo "trial done"
