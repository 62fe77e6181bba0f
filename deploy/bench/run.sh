#!/usr/bin/env bash
# Throughput, latency and memory of the product against a bare ASP.NET Core endpoint (ceiling) and the naive design
# (INSERT per request + polling loop; and the same doing the product's work: customers, change log, push), all driven
# by the same load generator; prints one markdown table.
#   deploy/bench/run.sh              ceiling, naive, naive same work, product with 1 and 2 silos (about 8 minutes on 2 cores + the build)
#   deploy/bench/run.sh --long [N]   N events (default 1000000) through the product with 1 silo: memory over time
# Knobs (environment): BENCH_CONNECTIONS (64), BENCH_WARMUP (15 s at least), BENCH_WARMUP_MAX (35 s), BENCH_DURATION (10 s),
# BENCH_HALF_DURATION (8 s),
# BENCH_DRAIN_TIMEOUT (60 s; --long: 900 s), BENCH_SAMPLE_INTERVAL (--long: 10 s), BENCH_SCENARIOS (ceiling naive same product1 product2),
# BENCH_PG_OPTIONS (added to the naive's and the product's connection strings, e.g. 'SSL Mode=Require'), BENCH_KEEP_LOGS=1 (keep the processes' logs),
# BENCH_PUSH=0 (no push), BENCH_PUSH_BATCH (100: changes per POST of the product's destination), BENCH_CUSTOMERS
# (100000: how many customers the events name; 10 makes each a busy object), BENCH_PROFILE=1 (the top frames of the product's processes in the full-load phase; BENCH_PROFILER dotnet-trace or perf).
# It uses databases of its own (webhooks_bench, webhooks_bench_naive, dropped and created fresh) and ports 5100-5103,
# 11150+ and 30150+, so it can run beside deploy/local/run.sh. Everything it starts is stopped when it ends.
set -euo pipefail
export LC_ALL=C # awk and printf read and write "1.23", whatever the caller's locale
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH_DIR="$REPO_ROOT/deploy/bench"
. "$REPO_ROOT/deploy/local/postgres.sh"

mode=compare
long_events=1000000
while [ $# -gt 0 ]; do
  case "$1" in
    --long)
      mode=long; shift
      if [ $# -gt 0 ] && [[ "$1" =~ ^[0-9]+$ ]]; then long_events="$1"; shift; fi ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) die "unknown argument: $1 (usage: deploy/bench/run.sh [--long [N]])" ;;
  esac
done
[ "$long_events" -gt 0 ] || die "--long needs a positive number of events"

connections="${BENCH_CONNECTIONS:-64}"
customers="${BENCH_CUSTOMERS:-100000}"
# Warm-up until the rate levels off (at least BENCH_WARMUP, at most BENCH_WARMUP_MAX seconds): a service runs for days,
# and the first 20-40 s of a silo under full load on two cores are spent in the tiered JIT, which is not its speed.
warmup="${BENCH_WARMUP:-15}"
warmup_max="${BENCH_WARMUP_MAX:-35}"
duration="${BENCH_DURATION:-10}"
half_duration="${BENCH_HALF_DURATION:-8}"
sample_interval="${BENCH_SAMPLE_INTERVAL:-10}"
if [ "$mode" = long ]; then drain_timeout="${BENCH_DRAIN_TIMEOUT:-900}"; else drain_timeout="${BENCH_DRAIN_TIMEOUT:-60}"; fi
scenarios="${BENCH_SCENARIOS:-ceiling naive same product1 product2}"
push_enabled="${BENCH_PUSH:-1}"

api_port=5100 ceiling_port=5101 naive_port=5102 receiver_port=5103 silo_port=11150 gateway_port=30150
product_db=webhooks_bench naive_db=webhooks_bench_naive
secret="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
run_id="$(printf '%x' "$(date +%s)")"
work="$(mktemp -d "${TMPDIR:-/tmp}/webhooks-bench.XXXXXX")"
started_at=$(date +%s)

# ---------------------------------------------------------------------------------------------------------------------
# Processes: everything started here is in pids and stopped on exit, whatever the reason.
pids=()
declare -A proc_name
stop_all() {
  [ ${#pids[@]} -gt 0 ] || return 0
  kill -TERM "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 1 50); do
    local alive=0 pid
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive -eq 1 ] || break
    sleep 0.1
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  pids=()
}
on_exit() {
  local code=$?
  trap - INT TERM EXIT
  stop_all
  if [ $code -eq 0 ] && [ "${BENCH_KEEP_LOGS:-0}" != 1 ]; then rm -rf "$work"; else rm -f "$work"/*.ids; say "logs of this run: $work"; fi
  exit $code
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start NAME DIR DLL [VAR=value...]: runs dotnet DLL in DIR with the extra environment; output in $work/NAME.log.
start() {
  local name="$1" dir="$2" dll="$3"
  shift 3
  (cd "$dir" && exec env "$@" dotnet "$dll") >"$work/$name.log" 2>&1 &
  pids+=($!)
  proc_name[$!]="$name"
  eval "pid_$name=$!"
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
need_ports() { local p; for p; do port_free "$p" || die "port $p is in use (a previous run still going?)"; done; }

# wait_until SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.2 s; fails when a started process has exited.
wait_until() {
  local seconds="$1" what="$2" pid
  shift 2
  local deadline=$(($(date +%s) + seconds))
  until "$@" >/dev/null 2>&1; do
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || die "a process exited while waiting for $what (logs: $work)"; done
    [ "$(date +%s)" -lt "$deadline" ] || die "$what: not within $seconds s (logs: $work)"
    sleep 0.2
  done
}

# Peak resident memory (VmHWM) summed over the given processes, in MiB.
peak_rss_mib() { local p; for p; do awk '/^VmHWM/ { print $2 }' "/proc/$p/status"; done | awk '{ s += $1 } END { printf "%.0f", s / 1024 }'; }
rss_mib() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo 0; }
# "pid ticks" lines: the CPU time (user + system, in clock ticks) used so far by each of the given processes.
cpu_ticks() { local p; for p; do awk -v p="$p" '{ sub(/.*\) /, ""); print p, $12 + $13 }' "/proc/$p/stat" 2>/dev/null; done; }
backends_of() { pgrep -f "postgres: .* $1 " | tr '\n' ' '; }

# Orleans' directory meters, read with dotnet-counters (a .NET tool from NuGet, installed into deploy/bench/.tools when
# it is not on the PATH): how many directory registrations, removals and lookups a silo sent to another silo.
remote_directory_counters="orleans-directory-registrations-single-act-remote-sent,orleans-directory-unregistrations-remote-sent,orleans-directory-unregistrations-many-remote-sent,orleans-directory-lookups-remote-sent"
# ensure_tool NAME: prints the path of a .NET diagnostics tool (dotnet-counters, dotnet-trace): the one on the PATH, or
# the one installed from NuGet into deploy/bench/.tools; fails when it cannot be installed.
ensure_tool() {
  if command -v "$1" >/dev/null 2>&1; then command -v "$1"; return; fi
  [ -x "$BENCH_DIR/.tools/$1" ] || dotnet tool install --tool-path "$BENCH_DIR/.tools" "$1" --version 10.0.750501 >/dev/null 2>&1 || return 1
  echo "$BENCH_DIR/.tools/$1"
}
counters_tool=""
ensure_counters() {
  counters_tool="$(ensure_tool dotnet-counters)" || { say "dotnet-counters could not be installed: the directory column stays empty"; counters_tool=""; }
}
counter_pids=()
# start_counters NAME PID...: records the directory meters of each silo until it stops (read_counters).
start_counters() {
  local name="$1" pid
  shift
  counter_pids=()
  [ -n "$counters_tool" ] || return 0
  for pid; do
    "$counters_tool" collect -p "$pid" --refresh-interval 1 --format csv -o "$work/counters-$name-$pid.csv" \
      --counters "Microsoft.Orleans[$remote_directory_counters]" >/dev/null 2>&1 &
    counter_pids+=($!)
  done
}
# read_counters NAME: once the silos have stopped (dotnet-counters writes its file when the process it watches exits),
# sets remote_dir[NAME] to the remote directory operations per accepted event over all phases, summed over the silos.
read_counters() {
  local name="$1" pid
  remote_dir[$name]="n/a"
  [ "${#counter_pids[@]}" -gt 0 ] || return 0
  for pid in "${counter_pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  remote_dir[$name]="$({ cat "$work"/counters-"$name"-*.csv 2>/dev/null || true; } | awk -F, -v n="$TOTAL_ACCEPTED" '
    $3 ~ /remote-sent/ { s += $5 } END { if (n > 0) printf "%.2f", s / n; else print "n/a" }')"
  counter_pids=()
}

q() { local db="$1"; shift; PGPASSWORD="$PG_PASSWORD" psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$db" -v ON_ERROR_STOP=1 -tAq "$@"; }
# Drops and creates a database. Right after a run, a backend of another role (an autovacuum worker on the tables just
# filled) can refuse the FORCE of the database's owner: try again for a few seconds, then as the postgres superuser.
fresh_database() {
  for _ in 1 2 3 4 5; do
    q postgres -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" >/dev/null 2>&1 && { ensure_database "$1"; return; }
    sleep 1
  done
  as_postgres "psql -p $PG_PORT -qc 'DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)'" >/dev/null || die "could not drop database $1"
  ensure_database "$1"
}
now_ms() { date +%s%3N; }

# ---------------------------------------------------------------------------------------------------------------------
# Servers
product_cs="Host=127.0.0.1;Port=5432;Database=$product_db;Username=webhooks;Password=webhooks${BENCH_PG_OPTIONS:+;$BENCH_PG_OPTIONS}"
naive_cs="Host=127.0.0.1;Port=5432;Database=$naive_db;Username=webhooks;Password=webhooks${BENCH_PG_OPTIONS:+;$BENCH_PG_OPTIONS}"
silo_dir="$REPO_ROOT/src/Silo/bin/Release/net10.0"
api_dir="$REPO_ROOT/src/WebApi/bin/Release/net10.0"
generator="$BENCH_DIR/LoadGenerator/bin/Release/net10.0/Orleans.Webhooks.LoadGenerator.dll"

active_silos() { [ "$(q "$product_db" -c "SELECT count(*) FROM orleans_membership WHERE deployment_id = 'bench' AND status = 3")" -ge "$1" ]; }

# The business system: a bare ASP.NET Core server (the ceiling program) that answers 200 at once, as an ERP's webhook
# controller would. The product's destination and the naive same-work poller push every change to it, signed.
# It is not one of the scenario's server processes: its CPU is the receiving end's, not the design's.
start_receiver() {
  need_ports "$receiver_port"
  start receiver "$BENCH_DIR/Ceiling/bin/Release/net10.0" Orleans.Webhooks.Ceiling.dll "ASPNETCORE_URLS=http://127.0.0.1:$receiver_port"
  wait_until 60 "the push receiver to be ready" curl -fsS --max-time 2 "http://127.0.0.1:$receiver_port/health"
  receiver_url="http://127.0.0.1:$receiver_port/webhook/erp"
}

# gc_heap_env PROCESSES: the runtime settings for PROCESSES .NET processes sharing this host's cores: server GC with
# cores / PROCESSES heaps each (at least one), not tied to particular cores (two processes' GC threads pinned to the
# same core would wait on each other). DOTNET_GCHeapCount is read as hexadecimal. Printed as VAR=value words.
gc_heap_env() { printf 'DOTNET_GCHeapCount=%x DOTNET_GCNoAffinitize=1' $(( $(nproc) / $1 > 0 ? $(nproc) / $1 : 1 )); }

# The product as deploy/local/run.sh starts it (Release builds, same environment), on the benchmark's own database and ports.
start_product() {
  local nodes="$1" i
  need_ports "$api_port" $(seq "$silo_port" $((silo_port + nodes - 1))) $(seq "$gateway_port" $((gateway_port + nodes - 1)))
  fresh_database "$product_db"
  apply_schema "$product_db"
  # A destination that gets every change pushed (BENCH_PUSH=0 leaves it out, to see what pushing costs).
  local env=(
    "ConnectionStrings__Webhooks=$product_cs" Orleans__ClusterId=bench Orleans__ServiceId=bench
    "Webhooks__Providers__hmac__Secrets__0=$secret" Webhooks__RateLimit__PermitsPerSecond=0
  )
  # Several silos on one host: a GC heap count per process that fits the cores, as deploy/local/run.sh --nodes sets it.
  [ "$nodes" -eq 1 ] || env+=($(gc_heap_env $((nodes + 1))))
  [ "${BENCH_PROFILE:-0}" != 1 ] || [ "${BENCH_PROFILER:-dotnet-trace}" != perf ] || env+=(DOTNET_PerfMapEnabled=1)
  server_pids=()
  pushed_sql=""
  if [ "$push_enabled" = 1 ]; then
    start_receiver
    # Batched as the README advises for an ERP (BENCH_PUSH_BATCH, 100): the product's way of pushing to a business
    # system; the same-work row POSTs each change on its own, as a cron job would.
    env+=("Webhooks__Destinations__erp__Url=$receiver_url" "Webhooks__Destinations__erp__Secrets__0=$secret"
      "Webhooks__Destinations__erp__Batch=${BENCH_PUSH_BATCH:-100}")
    # The destination's sender advances its cursor only over changes the receiver answered 2xx for.
    pushed_sql="SELECT COALESCE((SELECT last_seq FROM change_counter), 0) - COALESCE((SELECT cursor FROM destination_state WHERE name = 'erp'), 0)"
  fi
  for ((i = 0; i < nodes; i++)); do
    start "silo$i" "$silo_dir" Orleans.Webhooks.Silo.dll "${env[@]}" Orleans__SiloPort=$((silo_port + i)) Orleans__GatewayPort=$((gateway_port + i))
    server_pids+=("$(eval echo "\$pid_silo$i")")
  done
  # The web API starts once every silo is in the cluster, so that it knows all their gateways from the start.
  wait_until 90 "$nodes silo(s) active in the cluster" active_silos "$nodes"
  start webapi "$api_dir" Orleans.Webhooks.WebApi.dll "${env[@]}" "ASPNETCORE_URLS=http://127.0.0.1:$api_port"
  server_pids+=("$pid_webapi")
  wait_until 60 "the web API to be ready" curl -fsS --max-time 2 "http://127.0.0.1:$api_port/health/ready"
  url="http://127.0.0.1:$api_port/webhook/hmac"
  db="$product_db"
  processed_sql="SELECT count(*) FROM webhook_events WHERE state <> 'received'"
  missing_sql="SELECT count(*) FROM accepted a WHERE NOT EXISTS (SELECT 1 FROM webhook_events e WHERE e.provider = 'hmac' AND e.external_id = a.id)"
}

# start_naive [same]: the naive design; with 'same', doing the product's work too (Naive:SameWork: customers, change
# rows, and each change POSTed on its own to the same receiver as the product's destination).
start_naive() {
  local extra=()
  need_ports "$naive_port"
  fresh_database "$naive_db"
  pushed_sql=""
  if [ "${1:-}" = same ]; then
    extra+=(Naive__SameWork=true)
    if [ "$push_enabled" = 1 ]; then
      start_receiver
      extra+=("Naive__PushUrl=$receiver_url")
      pushed_sql="SELECT COALESCE((SELECT max(seq) FROM changes), 0) - (SELECT cursor FROM push_cursor)"
    fi
  fi
  start naive "$BENCH_DIR/Naive/bin/Release/net10.0" Orleans.Webhooks.Naive.dll \
    "ConnectionStrings__Naive=$naive_cs" "Naive__Secret=$secret" "ASPNETCORE_URLS=http://127.0.0.1:$naive_port" "${extra[@]}"
  server_pids=("$pid_naive")
  wait_until 60 "the naive server to be ready" curl -fsS --max-time 2 "http://127.0.0.1:$naive_port/health"
  url="http://127.0.0.1:$naive_port/webhook/hmac"
  db="$naive_db"
  processed_sql="SELECT count(*) FROM webhook_queue WHERE processed_at IS NOT NULL"
  missing_sql="SELECT count(*) FROM accepted a WHERE NOT EXISTS (SELECT 1 FROM webhook_queue q WHERE q.event_id = a.id)"
}

start_ceiling() {
  need_ports "$ceiling_port"
  start ceiling "$BENCH_DIR/Ceiling/bin/Release/net10.0" Orleans.Webhooks.Ceiling.dll "ASPNETCORE_URLS=http://127.0.0.1:$ceiling_port"
  server_pids=("$pid_ceiling")
  wait_until 60 "the ceiling server to be ready" curl -fsS --max-time 2 "http://127.0.0.1:$ceiling_port/health"
  url="http://127.0.0.1:$ceiling_port/webhook/hmac"
  db=""
}

# ---------------------------------------------------------------------------------------------------------------------
# Measuring
failures=()
fail() { failures+=("$*"); printf 'FAIL: %s\n' "$*" >&2; }

# Runs the load generator against $url; its KEY=value results become variables.
drive() {
  local name="$1"
  shift
  unset FULL_RATE FULL_P50_MS FULL_P99_MS HALF_RATE HALF_P50_MS HALF_P99_MS HALF_OFFERED LONG_RATE LONG_P50_MS LONG_P99_MS \
    TOTAL_ACCEPTED TOTAL_OTHER TOTAL_OTHER_DETAIL TOTAL_DUPLICATES LOAD_END_MS GENERATOR_CPU_S WARMUP_S FULL_ACCEPTED
  dotnet "$generator" --url "$url" --secret "$secret" --tag "$run_id$name" --connections "$connections" --customers "$customers" \
    --results "$work/$name.results" --ids "$work/$name.ids" "$@" 2> >(tee "$work/$name.load.log" | sed 's/^/    /' >&2) \
    || die "the load generator failed (see $work/$name.load.log)"
  # shellcheck disable=SC1090
  . "$work/$name.results"
}

# Sets drained to the time from the end of the load until every accepted event is processed (PostgreSQL polled every 0.2 s).
wait_processed() {
  local name="$1" expected="$2" done
  local deadline=$(($(date +%s) + drain_timeout))
  while :; do
    done="$(q "$db" -c "$processed_sql")"
    if [ "$done" -ge "$expected" ]; then
      drained_s="$(awk -v t="$(($(now_ms) - LOAD_END_MS))" 'BEGIN { printf "%.1f", (t < 0 ? 0 : t) / 1000 }')"
      drained="$drained_s s"
      return
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      fail "$name: only $done of $expected accepted events processed $drain_timeout s after the load"
      drained="> $drain_timeout s"
      drained_s=""
      return
    fi
    sleep 0.2
  done
}

# Sets pushed (and pushed_s) to the time from the end of the load until every change is pushed ($pushed_sql: the
# changes not yet answered 2xx by the receiver).
wait_pushed() {
  local name="$1" behind
  local deadline=$(($(date +%s) + drain_timeout))
  while :; do
    behind="$(q "$db" -c "$pushed_sql")"
    if [ "$behind" -le 0 ]; then
      pushed_s="$(awk -v t="$(($(now_ms) - LOAD_END_MS))" 'BEGIN { printf "%.1f", (t < 0 ? 0 : t) / 1000 }')"
      pushed="$pushed_s s"
      return
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      fail "$name: $behind changes not pushed $drain_timeout s after the load"
      pushed="> $drain_timeout s" pushed_s=""
      return
    fi
    sleep 0.2
  done
}

# Every 200 must be a committed event: each accepted id must be stored.
verify_stored() {
  local name="$1" ids="$work/$1.ids" missing
  [ "$(wc -l <"$ids")" -eq "$TOTAL_ACCEPTED" ] || fail "$name: the id file does not hold every accepted event"
  missing="$(q "$db" <<SQL
CREATE TEMP TABLE accepted (id text PRIMARY KEY);
\\copy accepted FROM '$ids'
$missing_sql;
SQL
)" || die "could not check the stored events of $name"
  if [ "$missing" != 0 ]; then
    fail "$name: $missing of $TOTAL_ACCEPTED events answered 200 are not stored"
  else
    say "$name: all $TOTAL_ACCEPTED events answered 200 are stored"
  fi
}

# Answers other than 200 are reported (and left out of the rates); a fresh event answered 'duplicate' fails the run.
check_answers() {
  [ "$TOTAL_OTHER" = 0 ] || say "$1: answers other than 200: $TOTAL_OTHER_DETAIL"
  [ "${TOTAL_DUPLICATES:-0}" = 0 ] || fail "$1: $TOTAL_DUPLICATES fresh events were answered 'duplicate'"
}

declare -A label warm rate e2e remote_dir p50 p99 hrate hp50 hp99 drain push rss other cpu wal
run_scenario() {
  local name="$1" server_pids=() url db processed_sql missing_sql pushed_sql="" scenario_start
  scenario_start="$(date +%s)"
  case "$name" in
    ceiling) label[$name]="ceiling (bare ASP.NET Core)"; start_ceiling ;;
    naive) label[$name]="naive (INSERT per request + poller)"; start_naive ;;
    same) label[$name]="naive, same work (+ customers, change log, push)"; start_naive same ;;
    product1) label[$name]="product, 1 silo"; start_product 1 ;;
    product2) label[$name]="product, 2 silos"; start_product 2 ;;
    *) die "unknown scenario $name" ;;
  esac
  say "$name: load on $url (${warmup}-${warmup_max} s warm-up until the rate levels off, ${duration} s at $connections connections, ${half_duration} s at half that rate)"
  # Warm-up and full load; then, with no load, the time until what they left behind is processed and pushed (so a
  # backlog built at full load shows); then the half-rate phase, a second run of the generator. The generator writes
  # the CPU time of the server processes and the database's backends when the full-load phase starts (cpu0).
  local cpu0="$work/$name.cpu0"
  case "$name" in product*) start_counters "$name" "${server_pids[@]:0:${#server_pids[@]}-1}" ;; esac
  [ "${BENCH_PROFILE:-0}" != 1 ] || start_profiles "$name" "$cpu0"
  [ -z "$db" ] || wal_at_start "$cpu0"
  drive "$name" --warmup "$warmup" --warmup-max "$warmup_max" --duration "$duration" --half-duration 0 \
    --cpu-start "$cpu0" --cpu-pids "$(IFS=,; echo "${server_pids[*]}")" ${db:+--cpu-match "postgres: .* $db "}
  warm[$name]="${WARMUP_S:--}" rate[$name]="$FULL_RATE" p50[$name]="$FULL_P50_MS" p99[$name]="$FULL_P99_MS"
  check_answers "$name"
  drain[$name]="n/a" push[$name]="n/a"
  if [ -n "$db" ]; then
    wait_processed "$name" "$TOTAL_ACCEPTED"
    drain[$name]="$drained"
    local done_s="$drained_s"
    if [ -n "$pushed_sql" ]; then
      wait_pushed "$name"
      push[$name]="$pushed"
      done_s="$(awk -v a="$drained_s" -v b="$pushed_s" 'BEGIN { if (a == "" || b == "") print ""; else print (a > b ? a : b) }')"
    fi
    # Acknowledging is half of the job: the full load's events over the load's seconds plus the time until all of
    # them are processed and, where the scenario pushes, pushed.
    [ -z "$done_s" ] || e2e[$name]="$(awk -v r="$FULL_RATE" -v d="$duration" -v t="$done_s" 'BEGIN { printf "%.0f", r * d / (d + t) }')"
  fi
  steady_cpu "$name" "$cpu0"
  wal[$name]="n/a"
  [ -z "$db" ] || steady_wal "$name" "$cpu0"
  [ -z "$db" ] || verify_stored "$name"
  local accepted="$TOTAL_ACCEPTED" others="$TOTAL_OTHER"
  drive "$name-half" --rate "$(awk -v r="$FULL_RATE" 'BEGIN { printf "%.1f", r / 2 }')" --half-duration "$half_duration"
  hrate[$name]="${HALF_RATE:--}" hp50[$name]="${HALF_P50_MS:--}" hp99[$name]="${HALF_P99_MS:--}"
  check_answers "$name-half"
  [ -z "$db" ] || verify_stored "$name-half"
  other[$name]=$((others + TOTAL_OTHER))
  TOTAL_ACCEPTED=$((accepted + TOTAL_ACCEPTED)) # both phases, for the directory meters
  rss[$name]="$(peak_rss_mib "${server_pids[@]}")"
  stop_all
  read_counters "$name"
  [ "${BENCH_PROFILE:-0}" != 1 ] || report_profiles "$name"
  say "$name: $(($(date +%s) - scenario_start)) s from start to stop"
}

# steady_cpu NAME CPU0: the CPU the scenario's server processes and its database's backends used from the start of the
# full-load phase (CPU0, written by the generator) until now (everything accepted in it processed and pushed), per
# event accepted in that phase: the steady state, without the JIT's warm-up. A backend opened during the phase counts
# from zero. Sets cpu[NAME] (the table's column) and prints each process's share (stderr).
steady_cpu() {
  local name="$1" cpu0="$2" pid names=""
  [ -s "$cpu0" ] || { say "$name: no CPU reading from the start of the full-load phase"; return; }
  for pid in "${server_pids[@]}"; do names+="$pid=${proc_name[$pid]} "; done
  local result
  result="$(cpu_ticks "${server_pids[@]}" $([ -z "$db" ] || backends_of "$db") | awk -v hz="$(getconf CLK_TCK)" -v n="$FULL_ACCEPTED" -v names="$names" '
    BEGIN { split(names, pairs, " "); for (i in pairs) { split(pairs[i], kv, "="); who[kv[1]] = kv[2] } }
    FNR == NR { start[$1] = $2; next }
    {
      w = ($1 in who) ? who[$1] : "PostgreSQL backends"
      if (!(w in used)) order[++k] = w
      used[w] += ($2 - start[$1]) / hz; total += ($2 - start[$1]) / hz
    }
    END {
      for (i = 1; i <= k; i++) line = line sprintf(" %s %.1f s (%.3f ms/event),", order[i], used[order[i]], n ? used[order[i]] * 1000 / n : 0)
      printf "%.2f%s\n", n ? total * 1000 / n : 0, line
    }' "$cpu0" -)"
  cpu[$name]="${result%% *}"
  say "$name: CPU from the start of the full-load phase until its work was done ($FULL_ACCEPTED events): ${result#* }"
}

# The WAL PostgreSQL writes per event, over the same span as steady_cpu: wal_at_start CPU0 reads pg_stat_wal's byte count
# (the whole server's: nothing else should run) as soon as the generator writes CPU0; steady_wal NAME CPU0 sets wal[NAME]
# from the count now, per event accepted in the full-load phase (autovacuum's WAL in that span included).
wal_bytes() { q postgres -c "SELECT wal_bytes FROM pg_stat_wal"; }
wal_at_start() {
  local cpu0="$1"
  rm -f "$cpu0.wal"
  ( for _ in $(seq 1 2000); do [ -s "$cpu0" ] && break; sleep 0.05; done; [ -s "$cpu0" ] && wal_bytes >"$cpu0.wal" ) &
}
steady_wal() {
  local name="$1" cpu0="$2" start now
  for _ in $(seq 1 50); do [ -s "$cpu0.wal" ] && break; sleep 0.1; done
  start="$(cat "$cpu0.wal" 2>/dev/null)" now="$(wal_bytes)"
  [ -n "$start" ] && [ "${FULL_ACCEPTED:-0}" -gt 0 ] || return 0
  wal[$name]="$(awk -v a="$start" -v b="$now" -v n="$FULL_ACCEPTED" 'BEGIN { printf "%.0f", (b - a) / n }')"
  say "$name: PostgreSQL wrote ${wal[$name]} bytes of WAL per event from the start of the full-load phase until its work was done"
}

# BENCH_PROFILE=1: where the product's processes spend their time in the full-load phase. By default dotnet-trace's
# sampled thread time (managed stacks at about 100 Hz; it also samples waiting threads: waits are left out of its
# report); BENCH_PROFILER=perf takes Linux perf_events CPU samples instead (499 Hz with call stacks; the product's
# processes then run with DOTNET_PerfMapEnabled=1 so that perf can name JIT-compiled methods). Each starts when the generator writes CPU0 and
# lasts the phase; report_profiles prints the top frames of each process and keeps them in deploy/bench/.profiles.
# A profiled run's rates are lower than an unprofiled one's: take the table from a run without it.
profile_pids=()
profiler="${BENCH_PROFILER:-dotnet-trace}"
start_profiles() {
  local name="$1" cpu0="$2" pid out
  case "$name" in product*) ;; *) return 0 ;; esac
  if [ "$profiler" = dotnet-trace ] && [ -z "$trace_tool" ]; then
    trace_tool="$(ensure_tool dotnet-trace)" || { say "dotnet-trace could not be installed: no profile"; return 0; }
  fi
  for pid in "${server_pids[@]}"; do
    out="$work/profile-$name-${proc_name[$pid]}"
    (
      until [ -s "$cpu0" ]; do kill -0 "$pid" 2>/dev/null || exit 0; sleep 0.1; done
      if [ "$profiler" = perf ]; then
        exec perf record -F 499 -g -p "$pid" -o "$out.perf" -- sleep "$duration" >"$out.log" 2>&1
      fi
      exec "$trace_tool" collect -p "$pid" --profile dotnet-sampled-thread-time --duration "00:00:00:$duration" -o "$out.nettrace" >"$out.log" 2>&1
    ) &
    profile_pids+=($!)
  done
}
trace_tool=""
# Frames of a thread waiting for work (dotnet-trace samples those too), left out of its report.
idle_frames='Wait|Sleep|Semaphore|EventLoop|epoll|Monitor|Blocking|Park|Missing Symbol|StartCallback|WorkerThreadStart|UNMANAGED_CODE_TIME|Interop\+Sys\.Read|Join'
report_profiles() {
  local name="$1" pid file title
  case "$name" in product*) ;; *) return 0 ;; esac
  for pid in "${profile_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  profile_pids=()
  for file in "$work"/profile-"$name"-*.perf "$work"/profile-"$name"-*.nettrace; do
    [ -s "$file" ] || continue
    title="$(basename "${file%.*}")"
    case "$file" in
      *.perf)
        perf report -i "$file" --no-children --sort symbol --stdio -g none --percent-limit 0.7 2>/dev/null | grep '%' >"$file.self" || true
        perf report -i "$file" --children --sort symbol --stdio -g none --percent-limit 3 2>/dev/null | grep '%' >"$file.total" || true
        { printf '\n%s: CPU samples, self (top 25):\n' "$title"; head -25 "$file.self" || true
          printf '%s: CPU samples, with callees (top 30):\n' "$title"; head -30 "$file.total" || true; } ;;
      *)
        # Busy samples only (deploy/bench/profile_top.py): shares of all samples would mostly measure waiting threads.
        if command -v python3 >/dev/null 2>&1 \
          && "$trace_tool" convert "$file" --format speedscope -o "${file%.nettrace}" >/dev/null 2>&1 \
          && [ -s "${file%.nettrace}.speedscope.json" ]; then
          printf '\n%s: sampled thread time, busy threads only:\n' "$title"
          python3 "$BENCH_DIR/profile_top.py" "${file%.nettrace}.speedscope.json" 25 || true
        else
          "$trace_tool" report "$file" topN -n 60 >"$file.self" 2>/dev/null || true
          "$trace_tool" report "$file" topN -n 80 --inclusive >"$file.total" 2>/dev/null || true
          { printf '\n%s: sampled thread time, exclusive, waits left out:\n' "$title"; grep -Ev "$idle_frames" "$file.self" | head -25 || true
            printf '%s: sampled thread time, inclusive, waits left out:\n' "$title"; grep -Ev "$idle_frames" "$file.total" | head -30 || true; }
        fi ;;
    esac
  done | tee -a "$work/profiles.txt" >&2
  for pid in "${server_pids[@]}"; do rm -f "/tmp/perf-$pid.map" "/tmp/perfinfo-$pid.map"; done
  mkdir -p "$BENCH_DIR/.profiles"
  cp "$work/profiles.txt" "$BENCH_DIR/.profiles/" 2>/dev/null || true
  say "$name: top frames in $BENCH_DIR/.profiles/profiles.txt"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else print "n/a" }'; }

print_table() {
  local name
  printf '\nmachine: %s cores, %s, %s GiB RAM; load average before the run: %s\n\n' \
    "$(nproc)" "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)" "$(free -g | awk '/^Mem:/ { print $2 }')" "$load_before"
  printf '| scenario | warm-up s | accepted/s | end-to-end/s | p50 ms | p99 ms | half rate /s | p50 ms @half | p99 ms @half | all processed after load | all pushed after load | peak RSS MiB | CPU ms/event (steady) | WAL bytes/event | remote directory ops/event | non-200 |\n'
  printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
  for name in $scenarios; do
    [ -n "${rate[$name]:-}" ] || continue
    printf '| %s | %s | %.0f | %s | %s | %s | %.0f | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "${label[$name]}" "${warm[$name]}" "${rate[$name]}" "${e2e[$name]:-n/a}" "${p50[$name]}" "${p99[$name]}" \
      "${hrate[$name]/-/0}" "${hp50[$name]}" "${hp99[$name]}" "${drain[$name]}" "${push[$name]}" "${rss[$name]}" "${cpu[$name]:--}" "${wal[$name]:-n/a}" "${remote_dir[$name]:-n/a}" "${other[$name]}"
  done
  printf '\nratio end-to-end product/same-work %s\n' "$(ratio "${e2e[product1]:-0}" "${e2e[same]:-0}")"
  printf 'ratio end-to-end product/naive %s\n' "$(ratio "${e2e[product1]:-0}" "${e2e[naive]:-0}")"
  printf 'ratio product/naive %s\n' "$(ratio "${rate[product1]:-0}" "${rate[naive]:-0}")"
  printf 'ratio product/ceiling %s\n' "$(ratio "${rate[product1]:-0}" "${rate[ceiling]:-0}")"
  printf 'ratio 2 silos/1 silo %s\n' "$(ratio "${rate[product2]:-0}" "${rate[product1]:-0}")"
}

# ---------------------------------------------------------------------------------------------------------------------
# --long: N events through the product with one silo; resident memory sampled while they go through.
run_long() {
  local server_pids=() url db processed_sql missing_sql
  start_product 1
  local samples="$work/long.samples"
  (
    trap 'kill "$nap" 2>/dev/null; exit 0' TERM
    t0=$(date +%s)
    while :; do
      counts="$(q "$db" -c "SELECT count(*) || ' ' || count(*) FILTER (WHERE state <> 'received') FROM webhook_events" 2>/dev/null || echo '? ?')"
      line="$(($(date +%s) - t0)) $counts $(rss_mib "$pid_silo0") $(rss_mib "$pid_webapi")"
      echo "$line" >>"$samples"
      set -- $line
      say "long: ${1} s: $2 stored, $3 processed; RSS silo $4 MiB, web API $5 MiB"
      sleep "$sample_interval" &
      nap=$!
      wait "$nap"
    done
  ) &
  local sampler=$!
  pids+=("$sampler")
  say "long: $long_events events on $url at $connections connections; memory sampled every $sample_interval s"
  drive long --count "$long_events"
  wait_processed long "$TOTAL_ACCEPTED"
  verify_stored long
  sleep "$sample_interval"
  kill "$sampler" 2>/dev/null || true
  local peak_silo peak_api
  peak_silo="$(peak_rss_mib "$pid_silo0")" peak_api="$(peak_rss_mib "$pid_webapi")"
  stop_all

  printf '\nmachine: %s cores, %s; %s events, %s connections; load average before the run: %s\n\n' \
    "$(nproc)" "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)" "$long_events" "$connections" "$load_before"
  printf '| t s | events stored | processed | silo RSS MiB | web API RSS MiB |\n|---:|---:|---:|---:|---:|\n'
  awk '{ printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 }' "$samples"
  printf '\naccepted %s (%.0f/s, p50 %s ms, p99 %s ms), non-200 %s; all processed %s after the load\n' \
    "$TOTAL_ACCEPTED" "$LONG_RATE" "$LONG_P50_MS" "$LONG_P99_MS" "$TOTAL_OTHER" "$drained"
  printf 'peak RSS (VmHWM): silo %s MiB, web API %s MiB\n' "$peak_silo" "$peak_api"
  # Growth per processed event once warm (from the first sample past 10 % of the events): about 0 when memory is bounded.
  awk -v n="$long_events" '$3 != "?" && $3 >= n / 10 && !base { base = 1; p0 = $3; s0 = $4; a0 = $5 } $3 != "?" { p = $3; s = $4; a = $5 }
    END { if (base && p > p0) printf "growth per 100,000 processed events after the first 10 %%: silo %+.0f MiB, web API %+.0f MiB\n", (s - s0) * 100000 / (p - p0), (a - a0) * 100000 / (p - p0) }' "$samples"
}

# curl (readiness), pgrep and free (procps: PostgreSQL's CPU, the machine's memory); a bare image may lack them.
ensure_tools() {
  local missing=()
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  { command -v pgrep && command -v free; } >/dev/null 2>&1 || missing+=(procps)
  [ ${#missing[@]} -gt 0 ] || return 0
  command -v apt-get >/dev/null 2>&1 || die "the benchmark needs ${missing[*]}: install them"
  say "installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2 || die "apt-get install ${missing[*]} failed"
}

# ---------------------------------------------------------------------------------------------------------------------
ensure_tools
ensure_dotnet
ensure_counters
parse_connection_string "$product_cs"
ensure_postgres_installed
ensure_postgres_running
ensure_role_and_database

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
awk -v l="${load_before%% *}" 'BEGIN { exit !(l > 1.0) }' && say "warning: the machine is busy (load average $load_before): figures will be low"

say "building the product and the benchmark (Release)"
# One build: the benchmark's own programs and the product's silo and web API (the same Release outputs run.sh starts),
# without the test projects, which the benchmark does not need.
dotnet build "$BENCH_DIR/Bench.slnx" -c Release -nologo -v q -clp:ErrorsOnly >&2 || die "building deploy/bench/Bench.slnx failed"

if [ "$mode" = long ]; then
  run_long
else
  for scenario in $scenarios; do run_scenario "$scenario"; done
  say "total time $(($(date +%s) - started_at)) s"
  [ ${#failures[@]} -eq 0 ] || printf 'FAIL: %s\n' "${failures[@]}" >&2
  print_table
fi
[ ${#failures[@]} -eq 0 ] || exit 1
