#!/usr/bin/env bash
# The main job: PostgreSQL ready, build, then N silos (default 1) and the web API on localhost, in the foreground.
# Ctrl-C (SIGINT/SIGTERM) stops everything this script started.
#   deploy/local/run.sh [--nodes N]
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$REPO_ROOT/deploy/local/postgres.sh"

nodes=1
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) [ $# -ge 2 ] || die "--nodes needs a number"; nodes="$2"; shift 2 ;;
    --nodes=*) nodes="${1#*=}"; shift ;;
    -h|--help) sed -n '2,4p' "$0"; exit 0 ;;
    *) die "unknown argument: $1 (usage: deploy/local/run.sh [--nodes N])" ;;
  esac
done
[[ "$nodes" =~ ^[1-9][0-9]*$ ]] || die "--nodes must be a positive number"

ensure_dotnet
prepare_postgres

configuration="${WEBHOOKS_CONFIGURATION:-Release}"
say "building ($configuration)"
dotnet build "$REPO_ROOT/Orleans.Webhooks.sln" -c "$configuration" -nologo -v q -clp:ErrorsOnly >&2 || die "build failed"
silo_dir="$REPO_ROOT/src/Silo/bin/$configuration/net10.0"
api_dir="$REPO_ROOT/src/WebApi/bin/$configuration/net10.0"

# Without any provider configured nothing could be received: give a newcomer a local 'hmac' provider with a generated secret.
if ! env | grep -q '^Webhooks__Providers__'; then
  state_dir="$REPO_ROOT/.run"
  mkdir -p "$state_dir"
  [ -s "$state_dir/hmac-secret" ] || (umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$state_dir/hmac-secret")
  export Webhooks__Providers__hmac__Secrets__0="$(cat "$state_dir/hmac-secret")"
  say "no provider configured: using provider 'hmac' with the secret in .run/hmac-secret"
fi

pids=()
stop_all() {
  trap - INT TERM EXIT
  if [ ${#pids[@]} -gt 0 ]; then
    say "stopping"
    kill -TERM "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap stop_all EXIT

silo_base="${Orleans__SiloPort:-11111}"
gateway_base="${Orleans__GatewayPort:-30000}"
for ((i = 0; i < nodes; i++)); do
  say "starting silo $i (silo port $((silo_base + i)), gateway port $((gateway_base + i)))"
  (cd "$silo_dir" && Orleans__SiloPort=$((silo_base + i)) Orleans__GatewayPort=$((gateway_base + i)) exec dotnet Orleans.Webhooks.Silo.dll) &
  pids+=($!)
done

urls="${ASPNETCORE_URLS:-http://127.0.0.1:5000}"
say "starting the web API on $urls"
(cd "$api_dir" && ASPNETCORE_URLS="$urls" exec dotnet Orleans.Webhooks.WebApi.dll) &
pids+=($!)

# 200 from GET <url>: with curl when there is one, else over bash's /dev/tcp (a bare image may have no curl).
# Either way it gives up after 2 s, so a port held by something that never answers cannot stall us.
http_ok() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsS --max-time 2 -o /dev/null "$1" 2>/dev/null
    return
  fi
  local rest="${1#http://}" hostport path
  hostport="${rest%%/*}" path="/${rest#*/}"
  case "$hostport" in *:*) ;; *) hostport="$hostport:80" ;; esac
  timeout 2 bash -c 'exec 3<>"/dev/tcp/${1%:*}/${1##*:}" && printf "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n" "$2" "$1" >&3 && head -1 <&3 | grep -q " 200 "' _ "$hostport" "$path" 2>/dev/null
}

first_url="${urls%%;*}"
probe_url="$first_url"
# What the web API listens on may be a wildcard; ask it on loopback.
for wildcard in 0.0.0.0 '[::]' '*' '+'; do probe_url="${probe_url/"$wildcard"/127.0.0.1}"; done
ready=
for _ in $(seq 1 90); do
  if http_ok "$probe_url/health/ready"; then
    say "ready: webhooks at $first_url/webhook/{provider}, dashboard at $first_url/dashboard/ (Ctrl-C stops)"
    ready=1
    break
  fi
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || die "a process exited during start-up (see its output above)"; done
  sleep 1
done
[ -n "$ready" ] || say "not ready after 90 s ($probe_url/health/ready does not answer 200): still running; see the output above (Ctrl-C stops)"

# Stay in the foreground until a process ends or we are told to stop.
wait -n "${pids[@]}" || true
die "a process exited; stopping the others"
