#!/usr/bin/env bash
# The main job: PostgreSQL ready, build, then N silos (default 1) and the web API on localhost, in the foreground.
# It supervises them: a silo or the web API that dies is reported and started again after WEBHOOKS_RESTART_DELAY
# seconds (default 2), as systemd's Restart=on-failure would. One that stops during start-up, or with a bad setting
# (status 78), stops everything, and what it printed on stderr (a bad setting: one line per key) is repeated last.
# Ctrl-C (SIGINT/SIGTERM) stops everything it started.
#   deploy/local/run.sh [--nodes N] [--no-build]
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$REPO_ROOT/deploy/local/postgres.sh"

nodes=1
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) [ $# -ge 2 ] || die "--nodes needs a number"; nodes="$2"; shift 2 ;;
    --nodes=*) nodes="${1#*=}"; shift ;;
    --no-build) build=; shift ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) die "unknown argument: $1 (usage: deploy/local/run.sh [--nodes N] [--no-build])" ;;
  esac
done
[[ "$nodes" =~ ^[1-9][0-9]*$ ]] || die "--nodes must be a positive number"
restart_delay="${WEBHOOKS_RESTART_DELAY:-2}"
[[ "$restart_delay" =~ ^[0-9]+$ ]] || die "WEBHOOKS_RESTART_DELAY must be a whole number of seconds"

ensure_dotnet
prepare_postgres

configuration="${WEBHOOKS_CONFIGURATION:-Release}"
silo_dir="$REPO_ROOT/src/Silo/bin/$configuration/net10.0"
api_dir="$REPO_ROOT/src/WebApi/bin/$configuration/net10.0"
if [ -n "$build" ]; then
  say "building ($configuration)"
  dotnet build "$REPO_ROOT/Orleans.Webhooks.sln" -c "$configuration" -nologo -v q -clp:ErrorsOnly >&2 || die "build failed"
else
  [ -f "$silo_dir/Orleans.Webhooks.Silo.dll" ] && [ -f "$api_dir/Orleans.Webhooks.WebApi.dll" ] \
    || die "--no-build: no $configuration build in src/*/bin/$configuration (build first, or set WEBHOOKS_CONFIGURATION)"
fi

# Without any provider configured nothing could be received: give a newcomer a local 'hmac' provider with a generated secret.
if ! env | grep -q '^Webhooks__Providers__'; then
  state_dir="$REPO_ROOT/.run"
  mkdir -p "$state_dir"
  [ -s "$state_dir/hmac-secret" ] || (umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$state_dir/hmac-secret")
  export Webhooks__Providers__hmac__Secrets__0="$(cat "$state_dir/hmac-secret")"
  say "no provider configured: using provider 'hmac' with the secret in .run/hmac-secret"
fi

# Several silos on one host share its cores with each other and the web API. Server GC would give each process a heap
# and a GC thread per core, tied to that core: N+1 processes would then run N+1 GC threads on every core at each
# collection and wait on each other. So with --nodes above 1, each process gets cores / (N + 1) heaps (at least one),
# not tied to cores, unless the caller set DOTNET_GCHeapCount itself (read as hexadecimal, as the runtime reads it).
if [ "$nodes" -gt 1 ] && [ -z "${DOTNET_GCHeapCount:-}" ]; then
  cores="$(nproc)"
  heaps=$((cores / (nodes + 1)))
  [ "$heaps" -ge 1 ] || heaps=1
  export DOTNET_GCHeapCount="$(printf '%x' "$heaps")" DOTNET_GCNoAffinitize=1
  say "$nodes silos and the web API on $cores cores: $heaps GC heap(s) per process"
fi

silo_base="${Orleans__SiloPort:-11111}"
gateway_base="${Orleans__GatewayPort:-30000}"
urls="${ASPNETCORE_URLS:-http://127.0.0.1:5000}"

# One slot per process: silos 0..nodes-1, then the web API. pids[slot] is empty while a process waits to be restarted.
pids=()
started_at=()
restart_at=()
quick_failures=()
api_slot=$nodes

# Each program's stderr goes to ours as it comes, and is also kept (its latest start only) to be repeated when it stops
# at start-up. tee ignores Ctrl-C and SIGTERM: it ends when the program closes its stderr, so nothing the program
# prints while it stops is lost.
err_dir="$(mktemp -d "${TMPDIR:-/tmp}/webhooks-run.XXXXXX")"
keep_stderr() { trap '' INT TERM; exec tee -a "$1" >&2; }

name_of() { if [ "$1" -lt "$nodes" ]; then printf 'silo %s' "$1"; else printf 'the web API'; fi; }

start_process() {
  local slot="$1"
  if [ "$slot" -lt "$nodes" ]; then
    local port=$((silo_base + slot)) gateway=$((gateway_base + slot))
    : >"$err_dir/$slot.err"
    (cd "$silo_dir" && Orleans__SiloPort=$port Orleans__GatewayPort=$gateway exec dotnet Orleans.Webhooks.Silo.dll 2> >(keep_stderr "$err_dir/$slot.err")) &
    pids[slot]=$!
    say "silo $slot started (pid ${pids[slot]}, silo port $port, gateway port $gateway)"
  else
    : >"$err_dir/$slot.err"
    (cd "$api_dir" && ASPNETCORE_URLS="$urls" exec dotnet Orleans.Webhooks.WebApi.dll 2> >(keep_stderr "$err_dir/$slot.err")) &
    pids[slot]=$!
    say "the web API started (pid ${pids[slot]}) on $urls"
  fi
  started_at[slot]=$SECONDS
}

running_pids() { local pid; for pid in "${pids[@]}"; do [ -n "$pid" ] && printf '%s\n' "$pid"; done; return 0; }

# SIGTERM lets each program shut down gracefully (a silo drains and leaves the cluster, the web API finishes its
# requests); whatever still runs 60 s later (as systemd's unit allows) is killed, so that stopping never hangs.
stop_all() {
  trap - INT TERM EXIT
  local alive
  mapfile -t alive < <(running_pids)
  [ ${#alive[@]} -gt 0 ] || return 0
  say "stopping"
  kill -TERM "${alive[@]}" 2>/dev/null || true
  for _ in $(seq 1 600); do
    kill -0 "${alive[@]}" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "${alive[@]}" 2>/dev/null || true
  wait "${alive[@]}" 2>/dev/null || true
}
trap 'stop_all; rm -rf "$err_dir"; exit 130' INT
trap 'stop_all; rm -rf "$err_dir"; exit 143' TERM
trap 'stop_all; rm -rf "$err_dir"' EXIT

# Stops everything, then says which programs stopped at start-up (slot:status ...) and repeats what each printed on
# stderr, so that its reason is the last thing on the screen rather than above what the others printed while stopping.
stop_for_failed_start() {
  stop_all
  local entry slot status
  for entry in "$@"; do
    slot="${entry%%:*}" status="${entry#*:}"
    if [ "$status" -eq 78 ]; then
      printf 'error: %s stopped with status 78: a bad setting (each line names its key):\n' "$(name_of "$slot")" >&2
    else
      printf 'error: %s exited during start-up with status %s; the last of its stderr:\n' "$(name_of "$slot")" "$status" >&2
    fi
    tail -n 20 "$err_dir/$slot.err" | sed 's/^/    /' >&2
  done
  rm -rf "$err_dir"
  exit 1
}

for ((slot = 0; slot <= api_slot; slot++)); do
  quick_failures[slot]=0
  start_process "$slot"
done

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
started=$SECONDS

# Supervise until told to stop. Before the service was ever ready, a process that exits stops everything (a bad
# setting fails at once); so does one that stops with a bad setting (78) at any time. After that, a process that exits
# is started again. One that fails within 30 s of its start five times in a row is not going to come up: that stops
# everything too.
while true; do
  failed=()
  for ((slot = 0; slot <= api_slot; slot++)); do
    pid="${pids[slot]}"
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      status=0
      wait "$pid" || status=$?
      pids[slot]=
      if [ -z "$ready" ] || [ "$status" -eq 78 ]; then
        failed+=("$slot:$status")
        continue
      fi
      if [ $((SECONDS - started_at[slot])) -lt 30 ]; then quick_failures[slot]=$((quick_failures[slot] + 1)); else quick_failures[slot]=0; fi
      [ "${quick_failures[slot]}" -lt 5 ] || die "$(name_of "$slot") failed within 30 s of its start 5 times in a row (see its output above)"
      say "$(name_of "$slot") (pid $pid) exited with status $status; starting it again in $restart_delay s"
      restart_at[slot]=$((SECONDS + restart_delay))
    elif [ -z "$pid" ] && [ "$SECONDS" -ge "${restart_at[slot]}" ]; then
      start_process "$slot"
    fi
  done
  [ ${#failed[@]} -eq 0 ] || stop_for_failed_start "${failed[@]}"
  if [ -z "$ready" ]; then
    if http_ok "$probe_url/health/ready"; then
      say "ready: webhooks at $first_url/webhook/{provider}, dashboard at $first_url/dashboard/ (Ctrl-C stops)"
      ready=1
    elif [ $((SECONDS - started)) -ge 90 ]; then
      say "not ready after 90 s ($probe_url/health/ready does not answer 200): still running; see the output above (Ctrl-C stops)"
      ready=1
    fi
  fi
  # In the background so that Ctrl-C and SIGTERM are handled at once rather than after the sleep.
  sleep 1 &
  wait $! || true
done
