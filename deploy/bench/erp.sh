#!/usr/bin/env bash
# The ERP scenario: the product (1 silo + web API) pushing to a receiver as slow as a small Odoo (deploy/bench/SlowErp:
# 4 workers, each request 25 ms plus 3 ms per change it carries) while the load generator sends 500 events/s for 20 s
# (after one unmeasured second at the same rate). For each Batch setting it reports the changes pushed, the POSTs, the
# changes pushed per second while pushing, and the push lag after the load (until the destination's cursor has passed
# every change). Prints a markdown table.
#   deploy/bench/erp.sh              Batch 1 and Batch 100
# Knobs (environment): ERP_BATCHES ("1 100"), ERP_RATE (500), ERP_SECONDS (20), ERP_DRAIN_TIMEOUT (300 s),
# SLOW_WORKERS, SLOW_BASE_MS, SLOW_PER_CHANGE_MS (the receiver's speed). Database webhooks_bench_erp (dropped and created
# fresh), ports 5110, 5113, 11160, 30160; everything it starts is stopped when it ends.
set -euo pipefail
export LC_ALL=C
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH_DIR="$REPO_ROOT/deploy/bench"
. "$REPO_ROOT/deploy/local/postgres.sh"

batches="${ERP_BATCHES:-1 100}"
rate="${ERP_RATE:-500}"
seconds="${ERP_SECONDS:-20}"
drain_timeout="${ERP_DRAIN_TIMEOUT:-300}"
api_port=5110 receiver_port=5113 silo_port=11160 gateway_port=30160 db=webhooks_bench_erp
secret="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
work="$(mktemp -d "${TMPDIR:-/tmp}/webhooks-erp.XXXXXX")"

pids=()
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
trap 'code=$?; trap - EXIT; stop_all; [ $code -eq 0 ] && rm -rf "$work" || say "logs: $work"; exit $code' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start() { local name="$1" dir="$2" dll="$3"; shift 3; (cd "$dir" && exec env "$@" dotnet "$dll") >"$work/$name.log" 2>&1 & pids+=($!); }
wait_until() {
  local seconds="$1" what="$2"; shift 2
  local deadline=$(($(date +%s) + seconds))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || die "$what: not within $seconds s (logs: $work)"
    sleep 0.2
  done
}
q() { PGPASSWORD="$PG_PASSWORD" psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$db" -v ON_ERROR_STOP=1 -tAq "$@"; }
active_silo() { [ "$(q -c "SELECT count(*) FROM orleans_membership WHERE deployment_id = 'bench-erp' AND status = 3")" -ge 1 ]; }
stat() { curl -fsS "http://127.0.0.1:$receiver_port/stats" | sed -E "s/.*\"$1\":([0-9]+).*/\1/"; }

declare -A changes posts per_second lag
run_batch() {
  local batch="$1" cs="Host=127.0.0.1;Port=5432;Database=$db;Username=webhooks;Password=webhooks"
  PGPASSWORD="$PG_PASSWORD" psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null
  ensure_database "$db"
  apply_schema "$db"
  start receiver "$BENCH_DIR/SlowErp/bin/Release/net10.0" Orleans.Webhooks.SlowErp.dll "ASPNETCORE_URLS=http://127.0.0.1:$receiver_port"
  wait_until 60 "the receiver" curl -fsS "http://127.0.0.1:$receiver_port/health"
  local env=("ConnectionStrings__Webhooks=$cs" Orleans__ClusterId=bench-erp Orleans__ServiceId=bench-erp
    "Webhooks__Providers__hmac__Secrets__0=$secret" Webhooks__RateLimit__PermitsPerSecond=0
    "Webhooks__Destinations__erp__Url=http://127.0.0.1:$receiver_port/erp" "Webhooks__Destinations__erp__Secrets__0=$secret"
    "Webhooks__Destinations__erp__Batch=$batch")
  start silo "$REPO_ROOT/src/Silo/bin/Release/net10.0" Orleans.Webhooks.Silo.dll "${env[@]}" Orleans__SiloPort=$silo_port Orleans__GatewayPort=$gateway_port
  wait_until 90 "the silo" active_silo
  start webapi "$REPO_ROOT/src/WebApi/bin/Release/net10.0" Orleans.Webhooks.WebApi.dll "${env[@]}" "ASPNETCORE_URLS=http://127.0.0.1:$api_port"
  wait_until 60 "the web API" curl -fsS "http://127.0.0.1:$api_port/health/ready"
  say "Batch $batch: $rate events/s for $seconds s"
  dotnet "$BENCH_DIR/LoadGenerator/bin/Release/net10.0/Orleans.Webhooks.LoadGenerator.dll" --url "http://127.0.0.1:$api_port/webhook/hmac" \
    --secret "$secret" --tag "erp$batch$(date +%s)" --connections 64 --rate "$rate" --half-duration "$seconds" --results "$work/load.results" 2>"$work/load-$batch.log"
  # shellcheck disable=SC1090
  . "$work/load.results"
  local deadline=$(($(date +%s) + drain_timeout)) behind
  while :; do
    behind="$(q -c "SELECT COALESCE((SELECT last_seq FROM change_counter), 0) - COALESCE((SELECT cursor FROM destination_state WHERE name = 'erp'), 0)")"
    # Every event processed (no change still to come) and the cursor past every change.
    if [ "$behind" -le 0 ] && [ "$(q -c "SELECT count(*) FROM webhook_events WHERE state = 'received'")" = 0 ]; then
      lag[$batch]="$(awk -v t="$(($(date +%s%3N) - LOAD_END_MS))" 'BEGIN { printf "%.1f s", (t < 0 ? 0 : t) / 1000 }')"
      break
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then lag[$batch]="> $drain_timeout s ($behind behind)"; break; fi
    sleep 0.2
  done
  changes[$batch]="$(stat changes)" posts[$batch]="$(stat posts)"
  per_second[$batch]="$(awk -v c="${changes[$batch]}" -v f="$(stat firstAt)" -v l="$(stat lastAt)" 'BEGIN { printf "%.0f", (l > f) ? c * 1000 / (l - f) : 0 }')"
  say "Batch $batch: ${changes[$batch]} changes in ${posts[$batch]} POSTs, ${per_second[$batch]}/s, all pushed ${lag[$batch]} after the load"
  stop_all
}

ensure_dotnet
parse_connection_string "Host=127.0.0.1;Port=5432;Database=$db;Username=webhooks;Password=webhooks"
ensure_postgres_installed
ensure_postgres_running
ensure_role_and_database
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
say "building the product and the benchmark (Release)"
dotnet build "$BENCH_DIR/Bench.slnx" -c Release -nologo -v q -clp:ErrorsOnly >&2 || die "building deploy/bench/Bench.slnx failed"
for batch in $batches; do run_batch "$batch"; done

printf '\nmachine: %s cores; load average before the run: %s; receiver: %s workers, %s ms + %s ms per change\n\n' \
  "$(nproc)" "$load_before" "${SLOW_WORKERS:-4}" "${SLOW_BASE_MS:-25}" "${SLOW_PER_CHANGE_MS:-3}"
printf '| Batch | changes pushed | POSTs | changes pushed/s | all pushed after the load |\n|---:|---:|---:|---:|---:|\n'
for batch in $batches; do
  printf '| %s | %s | %s | %s | %s |\n' "$batch" "${changes[$batch]}" "${posts[$batch]}" "${per_second[$batch]}" "${lag[$batch]}"
done
