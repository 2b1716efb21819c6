#!/usr/bin/env bash
# The performance benchmark of docs/performance.md. Loopback only, bounded in time, never part of the tests or CI.
#
# For each provider (SQLite file; PostgreSQL in a throwaway cluster started here on a free port) and each size, it
# generates the data (src/CaseCrm.DataGenerator), starts the app in Release on 127.0.0.1 through the benchmark host
# (benchmarks/CaseCrm.Benchmarks: the app plus the counters and the baseline), signs in once with curl through the real
# form, checks that the hand-written baseline renders the same bytes as the contact page, then runs wrk against each
# page and reads the host's counters (/Benchmark/Stats) before and after.
#
#   scripts/benchmark.sh                                  # everything: ~20 minutes on 2 cores
#   QUICK=1 scripts/benchmark.sh                          # every page once, 10k cases on SQLite, short runs: < 5 minutes
#   PROVIDERS=Sqlite SIZES="10000:1000" DURATION=5s scripts/benchmark.sh   # a quick look
#   INTAKE=1 SIZES="10000:1000" scripts/benchmark.sh      # email intake instead of the pages (issue 17)
#   CSV=1 SIZES="1000000:100000" scripts/benchmark.sh     # export memory and import time instead of the pages (issue 19)
#   SKEW=26000 PAGES="case list" SIZES="1000000:100000" scripts/benchmark.sh   # the case list on a skewed data set (issue 21)
#   PROVIDERS=Postgres SIZES="10000:1000 10000000:1000000" scripts/benchmark.sh   # ten million cases (issue 21): ~1 h, 35 GB of disk
#
# Settings (environment): PROVIDERS ("Sqlite Postgres"), SIZES ("10000:1000 1000000:100000", cases:contacts),
# DURATION (15s), THREADS (2), CONNECTIONS (8), SEED (42), WORK (artifacts/benchmark), REUSE_SQLITE (0: regenerate;
# 1: keep an existing SQLite file of the same size and seed), INTAKE (0; 1: instead of the pages, on a database of its own,
# INTAKE_MESSAGES (1000) messages sent into smtp4dev started here, read by the app's poller: see docs/performance.md), CSV (0; 1: instead of the pages, the memory of exporting every case as CSV and the time of importing
# CSV_IMPORT_ROWS (100000) generated contacts through Configuración → Importar: see docs/performance.md), KEEP_POSTGRES (0; 1: leave
# the cluster and its databases running at the end, to look at a plan; stop it by hand — a 10M database takes 35 GB), PG_PORT
# (a PostgreSQL already running on that loopback port instead of a throwaway one), REUSE_POSTGRES (0; 1: keep its database of
# the same size when $WORK has its info file), PG_CONNECTION_EXTRA (more settings of the app's PostgreSQL connection
# string, "Max Auto Prepare=0" for one), RATIO_ROUNDS (7 alternating 3 s rounds), WARM_ALL (10s: every page once
# before the measured runs; 0 skips that pass), PROFILE (1: a dotnet-trace CPU sample of each measured run beside its wrk output), SKEW (0; N: the generator's --skew N, a burst of N recent cases of one kind
# and N/2 of another, on a database and info file of their own, "-skewN"), PAGES (only the pages whose name matches it, an extended regular expression: "start page", "contact detail|create case"; 0 rounds with RATIO_ROUNDS=0). Results: $WORK/results.md, plus the raw wrk output.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

# QUICK=1: a developer's check of a change — every page measured once at 10k cases on SQLite, with short runs and no
# separate warm-up pass. Its figures are rougher (3 s runs); the full run is the one docs/performance.md quotes.
QUICK=${QUICK:-0}
if [ "$QUICK" = 1 ]; then
  PROVIDERS=${PROVIDERS:-Sqlite}
  SIZES=${SIZES:-"10000:1000"}
  DURATION=${DURATION:-3s}
  RATIO_ROUNDS=${RATIO_ROUNDS:-1}
  WORK=${WORK:-$root/artifacts/benchmark-quick}
fi

PROVIDERS=${PROVIDERS:-"Sqlite Postgres"}
SIZES=${SIZES:-"10000:1000 1000000:100000"}
DURATION=${DURATION:-15s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-8}
SEED=${SEED:-42}
WORK=${WORK:-$root/artifacts/benchmark}
REUSE_SQLITE=${REUSE_SQLITE:-0}
RATIO_ROUNDS=${RATIO_ROUNDS:-7}
PAGES=${PAGES:-}
INTAKE=${INTAKE:-0}
INTAKE_MESSAGES=${INTAKE_MESSAGES:-1000}
CSV=${CSV:-0}
PROFILE=${PROFILE:-0}
WARM_ALL=${WARM_ALL:-10s}
CSV_IMPORT_ROWS=${CSV_IMPORT_ROWS:-100000}
SKEW=${SKEW:-0}
KEEP_POSTGRES=${KEEP_POSTGRES:-0}
PG_PORT=${PG_PORT:-}
REUSE_POSTGRES=${REUSE_POSTGRES:-0}
ADMIN_EMAIL=admin@casecrm.test
ADMIN_PASSWORD=admin-demo-2026
PG_BIN=/usr/lib/postgresql/15/bin
AGENT_EMAIL=agente@casecrm.test
AGENT_PASSWORD=agente-demo-2026
SUPERVISOR_EMAIL=supervisor@casecrm.test
SUPERVISOR_PASSWORD=supervisor-demo-2026

mkdir -p "$WORK"
results="$WORK/results.md"
failures=0
app_pid=""
pg_dir=""
pg_port=""
smtp_pid=""
smtp_dir=""

say() { printf '==> %s\n' "$*" >&2; }
run_as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

free_port() {
  local port
  while :; do
    port=$(shuf -i 20000-60000 -n 1)
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
}

stop_smtp4dev() {
  if [ -n "$smtp_pid" ]; then kill -- "-$smtp_pid" 2>/dev/null || true; wait "$smtp_pid" 2>/dev/null || true; smtp_pid=""; fi
  if [ -n "$smtp_dir" ]; then rm -rf "$smtp_dir"; smtp_dir=""; fi
}

cleanup() {
  stop_smtp4dev
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then kill "$app_pid"; wait "$app_pid" 2>/dev/null || true; fi
  if [ "$KEEP_POSTGRES" = 1 ] && [ -n "$pg_dir" ]; then
    say "PostgreSQL left running for a look (KEEP_POSTGRES=1): $PG_BIN/psql -h 127.0.0.1 -p $pg_port -U postgres; stop it with: $PG_BIN/pg_ctl -D $pg_dir/data stop && rm -rf $pg_dir"
    return
  fi
  if [ -n "$pg_dir" ] && [ -f "$pg_dir/data/postmaster.pid" ]; then
    run_as_postgres "$PG_BIN/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  if [ -n "$pg_dir" ]; then rm -rf "$pg_dir"; fi
}
trap cleanup EXIT

# What a fresh Debian 12 machine lacks (as scripts/test.sh does): wrk, curl and, for PostgreSQL, the server.
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl)
if [[ " $PROVIDERS " == *" Postgres "* ]] && [ ! -x "$PG_BIN/initdb" ]; then missing+=(postgresql); fi
if [ ${#missing[@]} -gt 0 ]; then
  say "Installing ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v dotnet >/dev/null || { echo "benchmark.sh needs the .NET SDK (global.json)" >&2; exit 1; }

say "Building (Release)"
dotnet build benchmarks/CaseCrm.Benchmarks -c Release -v q -nologo >/dev/null
dotnet build src/CaseCrm.DataGenerator -c Release -v q -nologo >/dev/null
generator="$root/src/CaseCrm.DataGenerator/bin/Release/net10.0/CaseCrm.DataGenerator.dll"
host_dll="$root/benchmarks/CaseCrm.Benchmarks/bin/Release/net10.0/CaseCrm.Benchmarks.dll"

start_postgres() {
  [ -n "$pg_dir" ] && return
  # PG_PORT: a cluster already running on loopback (one left by KEEP_POSTGRES=1), neither started nor stopped here.
  if [ -n "$PG_PORT" ]; then pg_port=$PG_PORT; return; fi
  [ -x "$PG_BIN/initdb" ] || { echo "PostgreSQL 15 is missing: apt-get install -y postgresql" >&2; exit 1; }
  pg_dir=$(mktemp -d /tmp/casecrm-bench-pg.XXXXXX)
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$pg_dir"
  pg_port=$(free_port)
  say "Starting a throwaway PostgreSQL on 127.0.0.1:$pg_port"
  run_as_postgres "$PG_BIN/initdb" -D "$pg_dir/data" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null
  run_as_postgres "$PG_BIN/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w -t 60 \
    -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c wal_level=minimal -c max_wal_senders=0 -c max_wal_size=8GB" start >/dev/null
}

# A real mail server on loopback (docs/../shared recipe: smtp4dev started directly, its own HOME and folder, no database
# file), empty each time: SMTP on $smtp_port, plain IMAP on $imap_port. It keeps 100 messages unless told otherwise.
start_smtp4dev() {
  local binary web
  binary="${NUGET_PACKAGES:-$HOME/.nuget/packages}/rnwood.smtp4dev.linux-x64/3.15.0/tools/net10.0/linux-x64/Rnwood.Smtp4dev"
  [ -x "$binary" ] || dotnet tool restore >/dev/null
  [ -x "$binary" ] || { echo "smtp4dev is not restored at $binary (dotnet tool restore)" >&2; exit 1; }
  smtp_dir=$(mktemp -d /tmp/casecrm-bench-smtp.XXXXXX)
  smtp_port=$(free_port); imap_port=$(free_port); web=$(free_port)
  HOME=$smtp_dir setsid "$binary" --nousersettings --baseappdatapath="$smtp_dir" --urls="http://127.0.0.1:$web" --smtpport="$smtp_port" \
    --imapport="$imap_port" --pop3port="" --bindaddress=127.0.0.1 --allowremoteconnections- --disableipv6 --db="" --hostname=localhost \
    --messagestokeep=$((INTAKE_MESSAGES + 100)) > "$smtp_dir/log" 2>&1 &
  smtp_pid=$!
  for _ in $(seq 1 120); do
    curl -fs -o /dev/null "http://127.0.0.1:$web/api/messages" && return
    kill -0 "$smtp_pid" 2>/dev/null || break
    sleep 0.5
  done
  echo "smtp4dev did not start; see $smtp_dir/log" >&2; exit 1
}

psql_admin() { "$PG_BIN/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q -c "$1" >/dev/null; }

# Latency in ms from wrk's "50%  1.23ms" style value.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'; }
stat_of() { grep "^$1=" <<<"$2" | cut -d= -f2; }

printf '# Benchmark results\n\nMachine: %s, %s cores, %s. wrk -t%s -c%s -d%s. %s\n\n' \
  "$(uname -srm)" "$(nproc)" "$(awk '/MemTotal/ {printf "%.0f GiB RAM", $2/1048576}' /proc/meminfo)" \
  "$THREADS" "$CONNECTIONS" "$DURATION" "$(date -u +%Y-%m-%dT%H:%MZ)" > "$results"
if [ "$CSV" = 1 ]; then
  printf '| provider | cases | CSV rows exported | export s | RSS before MB | RSS peak during export MB | growth MB | GC heap before MB | GC heap peak MB | contacts imported | import s | import app CPU s | search terms written | load avg |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n' >> "$results"
elif [ "$INTAKE" = 1 ]; then
  printf '| provider | cases in the database | messages | seconds | msg/s | SQL/message | KB alloc/message | CPU ms/message | IMAP fetch alone s | peak MB | cases opened | load avg | verified |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n' >> "$results"
else
  printf '| provider | cases | page | req/s | p50 ms | p99 ms | SQL/req | KB alloc/req | app CPU ms/req | non-2xx/3xx | load avg | rows shown |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n' >> "$results"
fi

for provider in $PROVIDERS; do
  for size in $SIZES; do
    cases=${size%%:*}; contacts=${size##*:}
    tag="$provider-$cases"; cases_label=$cases
    # A skewed data set (issue 21) is another database: never confused with the even one.
    [ "$SKEW" != 0 ] && tag="$tag-skew$SKEW" && cases_label="$cases + $SKEW skewed"
    say "$tag: $contacts contacts, $cases cases"
    info="$WORK/$tag.info"
    if [ "$provider" = Sqlite ]; then
      db="$WORK/$tag-seed$SEED.db"
      # Intake adds cases: its database is its own, never the pages'.
      [ "$INTAKE" = 1 ] && db="$WORK/$tag-seed$SEED-intake.db" && REUSE_SQLITE=0
      connection="Data Source=$db"
      if [ "$REUSE_SQLITE" = 1 ] && [ -f "$db" ] && [ -f "$info" ]; then
        say "$tag: reusing $db"
      else
        rm -f "$db" "$db-wal" "$db-shm"
      fi
    else
      start_postgres
      dbname="bench_${cases}"; [ "$SKEW" != 0 ] && dbname="${dbname}_skew$SKEW"
      pg_reused=0
      if [ "$REUSE_POSTGRES" = 1 ] && [ -f "$info" ] \
        && [ "$("$PG_BIN/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -tA -c "SELECT 1 FROM pg_database WHERE datname = '$dbname'")" = 1 ]; then
        say "$tag: reusing the database $dbname"
        pg_reused=1
      else
        psql_admin "DROP DATABASE IF EXISTS $dbname WITH (FORCE)"
        psql_admin "CREATE DATABASE $dbname"
      fi
      connection="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=$dbname;Maximum Pool Size=50${PG_CONNECTION_EXTRA:+;$PG_CONNECTION_EXTRA}"
    fi

    if { [ "$provider" = Sqlite ] && { [ ! -f "$db" ] || [ "$REUSE_SQLITE" != 1 ]; }; } || { [ "$provider" != Sqlite ] && [ "$pg_reused" != 1 ]; }; then
      say "$tag: generating"
      start=$(date +%s)
      timeout 3600 dotnet "$generator" --provider "$provider" --connection "$connection" --contacts "$contacts" --cases "$cases" \
        --seed "$SEED" --skew "$SKEW" --info-file "$info" > "$WORK/$tag-generate.log"
      generated_s=$(( $(date +%s) - start ))
      echo "generated in $generated_s s" >> "$WORK/$tag-generate.log"
      tail -9 "$WORK/$tag-generate.log" >&2
    else
      generated_s="(reused)"
    fi
    # Issue 21: how long the data took and how big the database is, in the results beside the pages.
    if [ "$provider" = Sqlite ]; then
      db_size="$(( $(stat -c %s "$db") / 1048576 )) MB"
    else
      db_size=$("$PG_BIN/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -tA -c "SELECT pg_size_pretty(pg_database_size('$dbname'))")
    fi
    [ "$INTAKE" = 1 ] || [ "$CSV" = 1 ] || printf '| %s | %s | data: generated in %s s, database %s | | | | | | | | %s | |\n' \
      "$provider" "$cases" "$generated_s" "$db_size" "$(cut -d' ' -f1 /proc/loadavg)" >> "$results"
    if [ "$INTAKE" = 1 ]; then
      start_smtp4dev
      say "$tag: $INTAKE_MESSAGES messages through smtp4dev (SMTP $smtp_port, IMAP $imap_port)"
      load=$(cut -d' ' -f1 /proc/loadavg)
      intake_ok=0
      env Database__Provider="$provider" ConnectionStrings__Default="$connection" timeout 1200 dotnet "$host_dll" email-intake \
        --Intake:Messages "$INTAKE_MESSAGES" --Intake:SmtpPort "$smtp_port" --Intake:ImapPort "$imap_port" > "$WORK/$tag-intake.txt" 2> "$WORK/$tag-intake.log" \
        || intake_ok=$?
      stop_smtp4dev
      out=$(cat "$WORK/$tag-intake.txt"); cat "$WORK/$tag-intake.txt" >&2
      [ "$intake_ok" = 0 ] || { echo "the intake benchmark failed ($intake_ok); see $WORK/$tag-intake.log" >&2; failures=$((failures + 1)); }
      printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s of %s | %s → %s | %s |\n' "$provider" "$cases" "$(stat_of messages "$out")" \
        "$(stat_of intake_seconds "$out")" "$(stat_of messages_per_second "$out")" "$(stat_of sql_per_message "$out")" \
        "$(stat_of kb_alloc_per_message "$out")" "$(stat_of cpu_ms_per_message "$out")" "$(stat_of imap_fetch_seconds "$out")" \
        "$(stat_of peak_mb "$out")" "$(stat_of cases_opened "$out")" "$(stat_of cases_expected "$out")" "$load" \
        "$(cut -d' ' -f1 /proc/loadavg)" "$(stat_of verified "$out")" >> "$results"
      [ "$provider" = Postgres ] && psql_admin "DROP DATABASE IF EXISTS $dbname WITH (FORCE)"
      [ "$provider" = Sqlite ] && rm -f "$db" "$db-wal" "$db-shm"
      continue
    fi
    busiest=$(grep '^busiest_contact_id=' "$info" | cut -d= -f2)
    typical=$(grep '^typical_contact_id=' "$info" | cut -d= -f2)
    sample=$(grep '^sample_case_id=' "$info" | cut -d= -f2)
    timeline=$(grep '^timeline_case_id=' "$info" | cut -d= -f2)
    # Issue 17; info files written before the generator made emails lack it (the page is then skipped).
    thread=$(grep '^email_thread_case_id=' "$info" | cut -d= -f2 || true)
    # The generator dates its data back from a fixed instant; older info files lack the fact (the same instant).
    calendar_date=$(grep '^calendar_date=' "$info" | cut -d= -f2); calendar_date=${calendar_date:-2026-11-01}

    port=$(free_port)
    base="http://127.0.0.1:$port"
    say "$tag: starting the app on $base"
    # The API's rate limit per token (120 a minute) would answer wrk's requests 429: lifted for the benchmark.
    env Database__Provider="$provider" ConnectionStrings__Default="$connection" Api__PermitLimit=1000000000 dotnet "$host_dll" --urls "$base" > "$WORK/$tag-app.log" 2>&1 &
    app_pid=$!
    for _ in $(seq 1 120); do
      curl -fs -o /dev/null "$base/health" && break
      kill -0 "$app_pid" 2>/dev/null || { echo "the app stopped; see $WORK/$tag-app.log" >&2; exit 1; }
      sleep 0.5
    done

    tmp=$(mktemp -d)
    # Signs in through the real form (the login page's antiforgery cookie and token, then the auth cookie). Done again
    # before each measured page: the app re-checks a cookie's security stamp once it is a minute old, and wrk, unlike
    # a browser, never takes the renewed cookie, so an old cookie would add that check to every request.
    sign_in() {
      curl -fs -D "$tmp/h1" -o "$tmp/login.html" "$base/Account/Login"
      af=$(grep -i '^set-cookie: CaseCrm.Antiforgery=' "$tmp/h1" | sed -E 's/^[^:]*: ([^;]*).*/\1/' | tr -d '\r')
      token=$(grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' "$tmp/login.html" | head -1 | sed -E 's/.*value="([^"]*)"/\1/')
      curl -s -D "$tmp/h2" -o /dev/null -H "Cookie: $af" --data-urlencode "Email=$AGENT_EMAIL" \
        --data-urlencode "Password=$AGENT_PASSWORD" --data-urlencode "__RequestVerificationToken=$token" "$base/Account/Login"
      auth=$(grep -i '^set-cookie: CaseCrm.Auth=' "$tmp/h2" | sed -E 's/^[^:]*: ([^;]*).*/\1/' | tr -d '\r')
      [ -n "$auth" ] || { echo "signing in failed" >&2; cat "$tmp/h2" >&2; exit 1; }
      cookie="$af; $auth"
      # The supervisor's start page is the team's queue: a second sign-in for it, same steps.
      curl -fs -D "$tmp/h3" -o "$tmp/login2.html" "$base/Account/Login"
      af2=$(grep -i '^set-cookie: CaseCrm.Antiforgery=' "$tmp/h3" | sed -E 's/^[^:]*: ([^;]*).*/\1/' | tr -d '\r')
      token2=$(grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' "$tmp/login2.html" | head -1 | sed -E 's/.*value="([^"]*)"/\1/')
      curl -s -D "$tmp/h4" -o /dev/null -H "Cookie: $af2" --data-urlencode "Email=$SUPERVISOR_EMAIL" \
        --data-urlencode "Password=$SUPERVISOR_PASSWORD" --data-urlencode "__RequestVerificationToken=$token2" "$base/Account/Login"
      auth2=$(grep -i '^set-cookie: CaseCrm.Auth=' "$tmp/h4" | sed -E 's/^[^:]*: ([^;]*).*/\1/' | tr -d '\r')
      [ -n "$auth2" ] || { echo "signing in as the supervisor failed" >&2; cat "$tmp/h4" >&2; exit 1; }
      supervisor_cookie="$af2; $auth2"
      printf 'wrk.headers["Cookie"] = "%s"\n' "$supervisor_cookie" > "$tmp/get-supervisor.lua"
      # The create-case form of a typical contact gives a token for the POST, and a category.
      curl -fs -H "Cookie: $cookie" "$base/Contacts/$typical/Cases/Create" > "$tmp/create.html"
      form_token=$(grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' "$tmp/create.html" | head -1 | sed -E 's/.*value="([^"]*)"/\1/')
      category=$(sed -n '/id="CategoryId"/,/<\/select>/p' "$tmp/create.html" | grep -o 'option value="[0-9][0-9]*"' | head -1 | grep -o '[0-9][0-9]*')
      printf 'wrk.headers["Cookie"] = "%s"\n' "$cookie" > "$tmp/get.lua"
      printf '%s\n' 'wrk.method = "POST"' "wrk.headers[\"Cookie\"] = \"$cookie\"" \
        'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"' \
        "wrk.body = \"Title=Caso+del+benchmark&CategoryId=$category&Priority=Normal&Status=New&Description=Creado+por+wrk.&Origin=Web&__RequestVerificationToken=$form_token\"" \
        '-- Every POST is a form of its own, with its own one-time submission key, as a browser would send it.' \
        'local body = wrk.body' \
        'local threads = 0' \
        'function setup(thread) thread:set("tid", threads); threads = threads + 1 end' \
        'local started, sent = os.time(), 0' \
        'function request()' \
        '  sent = sent + 1' \
        '  local key = string.format("%08x-%04x-4000-8000-%012x", started, tid, sent)' \
        '  return wrk.format(nil, nil, nil, body .. "&SubmissionKey=" .. key)' \
        'end' \
        > "$tmp/post.lua"
    }
    sign_in
    # Issue 20: a personal access token of the agent, made on the Tokens page as a user would (the secret is shown once,
    # on the page the creation redirects to, through TempData), for the API's rows.
    curl -fs -H "Cookie: $cookie" "$base/Account/Tokens" > "$tmp/tokens.html"
    tokens_form=$(grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' "$tmp/tokens.html" | head -1 | sed -E 's/.*value="([^"]*)"/\1/')
    curl -s -D "$tmp/t1" -o /dev/null -H "Cookie: $cookie" --data-urlencode "Name=benchmark" \
      --data-urlencode "Expires=$(date -u -d '+7 days' +%F)" --data-urlencode "__RequestVerificationToken=$tokens_form" "$base/Account/Tokens"
    tempdata=$(grep -i '^set-cookie: ' "$tmp/t1" | sed -E 's/^[^:]*: ([^;]*).*/\1/' | tr -d '\r' | paste -sd ';' - | sed 's/;/; /g')
    api_token=$(curl -fs -H "Cookie: $cookie; $tempdata" "$base/Account/Tokens" | grep -o 'id="token-secret"[^>]*value="[^"]*"' | sed -E 's/.*value="([^"]*)"/\1/')
    [ -n "$api_token" ] || { echo "creating an API token failed" >&2; cat "$tmp/t1" >&2; exit 1; }
    printf 'wrk.headers["Authorization"] = "Bearer %s"\n' "$api_token" > "$tmp/api.lua"


    if [ "$CSV" = 1 ]; then
      # Issue 19. Export: every case ("Todos los casos") streamed to wc while the host's resident set and GC heap are
      # sampled every 0.2 s; the growth is the peak during the export less the figure just before it.
      stats=$(curl -fs "$base/Benchmark/Stats")
      rss0=$(stat_of vm_rss_kb "$stats"); heap0=$(stat_of gc_heap_bytes "$stats"); rss_peak=$rss0; heap_peak=$heap0
      start=$(date +%s.%N)
      curl -fs -H "Cookie: $supervisor_cookie" "$base/Cases/Export?view=all&sort=number" | wc -l > "$tmp/export-lines" &
      export_pid=$!
      while kill -0 "$export_pid" 2>/dev/null; do
        stats=$(curl -fs "$base/Benchmark/Stats" || true)
        r=$(stat_of vm_rss_kb "$stats"); h=$(stat_of gc_heap_bytes "$stats")
        [ -n "$r" ] && [ "$r" -gt "$rss_peak" ] && rss_peak=$r
        [ -n "$h" ] && [ "$h" -gt "$heap_peak" ] && heap_peak=$h
        sleep 0.2
      done
      wait "$export_pid"
      export_s=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
      exported=$(( $(cat "$tmp/export-lines") - 1 ))
      say "$tag: exported $exported cases in $export_s s; RSS $((rss0 / 1024)) -> $((rss_peak / 1024)) MB, GC heap $((heap0 / 1048576)) -> $((heap_peak / 1048576)) MB"
      [ "$exported" -ge "$cases" ] || { echo "the export wrote $exported rows, fewer than the $cases cases generated" >&2; failures=$((failures + 1)); }

      # Import: a generated file of contacts (unique emails, two phones each, so many search terms) through the real
      # three steps as the administrator: upload, the mapping page, the import (all or nothing, skip duplicates).
      awk -v n="$CSV_IMPORT_ROWS" 'BEGIN { srand(7); print "Nombre;Apellidos;Correo;Teléfono;Móvil;Cargo";
        split("Ana Luis Marta José Lucía Pedro Elena Javier Carmen Pablo", f, " "); split("García López Martín Sánchez Pérez Gómez Ruiz Díaz Moreno Álvarez", l, " ");
        for (i = 1; i <= n; i++) printf "%s;%s %s;importado.%d@bench.test;+34 9%02d %03d %03d;+34 6%02d %03d %03d;Compras\n", f[1 + i % 10], l[1 + int(i / 10) % 10], l[1 + int(i / 100) % 10], i, i % 100, int(i / 100) % 1000, i % 1000, int(i / 7) % 100, i % 997, int(i / 3) % 1000 }' > "$tmp/contacts.csv"
      curl -fs -D "$tmp/a1" -o "$tmp/alogin.html" "$base/Account/Login"
      af3=$(grep -i '^set-cookie: CaseCrm.Antiforgery=' "$tmp/a1" | sed -E 's/^[^:]*: ([^;]*).*/\1/' | tr -d '\r')
      token3=$(grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' "$tmp/alogin.html" | head -1 | sed -E 's/.*value="([^"]*)"/\1/')
      curl -s -D "$tmp/a2" -o /dev/null -H "Cookie: $af3" --data-urlencode "Email=$ADMIN_EMAIL" \
        --data-urlencode "Password=$ADMIN_PASSWORD" --data-urlencode "__RequestVerificationToken=$token3" "$base/Account/Login"
      admin_cookie="$af3; $(grep -i '^set-cookie: CaseCrm.Auth=' "$tmp/a2" | sed -E 's/^[^:]*: ([^;]*).*/\1/' | tr -d '\r')"
      page_token() { grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' "$1" | head -1 | sed -E 's/.*value="([^"]*)"/\1/'; }
      curl -fs -H "Cookie: $admin_cookie" "$base/Import" > "$tmp/import.html"
      curl -s -D "$tmp/i1" -o /dev/null -H "Cookie: $admin_cookie" -F "__RequestVerificationToken=$(page_token "$tmp/import.html")" \
        -F "Kind=Contacts" -F "File=@$tmp/contacts.csv;type=text/csv" "$base/Import"
      map_url=$(grep -i '^location:' "$tmp/i1" | sed -E 's/^[^:]*: *//' | tr -d '\r')
      curl -fs -H "Cookie: $admin_cookie" "$base$map_url" > "$tmp/map.html"
      cpu0=$(stat_of cpu_ms "$(curl -fs "$base/Benchmark/Stats")")
      start=$(date +%s.%N)
      curl -s -o "$tmp/result.html" -H "Cookie: $admin_cookie" --data-urlencode "__RequestVerificationToken=$(page_token "$tmp/map.html")" \
        --data-urlencode "Kind=Contacts" --data-urlencode "Map[FirstName]=0" --data-urlencode "Map[LastName]=1" --data-urlencode "Map[Email]=2" \
        --data-urlencode "Map[Phone]=3" --data-urlencode "Map[Mobile]=4" --data-urlencode "Map[JobTitle]=5" --data-urlencode "Duplicates=Skip" \
        --data-urlencode "Mode=AllOrNothing" "$base$map_url"
      import_s=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
      import_cpu_s=$(awk -v a="$cpu0" -v b="$(stat_of cpu_ms "$(curl -fs "$base/Benchmark/Stats")")" 'BEGIN { printf "%.1f", (b - a) / 1000 }')
      created=$(grep -o 'data-count="created">[^<]*' "$tmp/result.html" | sed -E 's/.*>//' | tr -d '.,')
      say "$tag: imported ${created:-0} of $CSV_IMPORT_ROWS contacts in $import_s s ($import_cpu_s s of the app's CPU; load $(cut -d' ' -f1 /proc/loadavg))"
      [ "${created:-0}" = "$CSV_IMPORT_ROWS" ] || { echo "the import created ${created:-0} contacts, not $CSV_IMPORT_ROWS" >&2; failures=$((failures + 1)); }
      if [ "$provider" = Sqlite ]; then
        terms=$(sqlite3 "$db" "SELECT COUNT(*) FROM ContactSearchTerms t JOIN Contacts c ON c.Id = t.ContactId WHERE c.Email LIKE 'importado.%'" 2>/dev/null || echo "?")
      else
        terms=$("$PG_BIN/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d "$dbname" -tA -c "SELECT COUNT(*) FROM \"ContactSearchTerms\" t JOIN \"Contacts\" c ON c.\"Id\" = t.\"ContactId\" WHERE c.\"Email\" LIKE 'importado.%'" 2>/dev/null || echo "?")
      fi
      printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$provider" "$cases" "$exported" "$export_s" "$((rss0 / 1024))" \
        "$((rss_peak / 1024))" "$(((rss_peak - rss0) / 1024))" "$((heap0 / 1048576))" "$((heap_peak / 1048576))" "${created:-0}" "$import_s" "$import_cpu_s" "$terms" "$(cut -d' ' -f1 /proc/loadavg)" >> "$results"
      kill "$app_pid"; wait "$app_pid" 2>/dev/null || true; app_pid=""
      rm -rf "$tmp"
      [ "$provider" = Postgres ] && psql_admin "DROP DATABASE IF EXISTS $dbname WITH (FORCE)"
      # The import added contacts: a reused SQLite file would no longer be the generator's.
      [ "$provider" = Sqlite ] && rm -f "$db" "$db-wal" "$db-shm" "$info"
      continue
    fi

    # The baseline must render the very bytes of the page (the antiforgery tokens are random per response).
    normalize() { sed -E 's/(name="__RequestVerificationToken" type="hidden" value=")[^"]*"/\1TOKEN"/g'; }
    for check in "$busiest?tab=cases" "$busiest?tab=cases&page=2" "$typical?tab=cases"; do
      curl -fs -H "Cookie: $cookie" "$base/Contacts/$check" | normalize > "$tmp/page.html"
      curl -fs -H "Cookie: $cookie" "$base/Benchmark/Baseline/Contacts/$check" | normalize > "$tmp/baseline.html"
      if cmp -s "$tmp/page.html" "$tmp/baseline.html"; then
        say "$tag: baseline identical for /Contacts/$check ($(wc -c < "$tmp/page.html") bytes)"
      else
        echo "BASELINE DIFFERS for /Contacts/$check:" >&2; { diff "$tmp/page.html" "$tmp/baseline.html" || true; } | head -20 >&2
        failures=$((failures + 1))
      fi
    done

    status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" -H "Content-Type: application/x-www-form-urlencoded" \
      --data "Title=Prueba&CategoryId=$category&Status=New&Description=Prueba.&__RequestVerificationToken=$form_token" "$base/Contacts/$typical/Cases/Create")
    [ "$status" = 302 ] || { echo "the create-case POST answered $status, not 302" >&2; failures=$((failures + 1)); }

    # A second search, as an agent looks up a caller: the typical contact's email, which matches one contact.
    email=$(curl -fs -H "Cookie: $cookie" "$base/Contacts/$typical" | grep -o 'href="mailto:[^"]*"' | head -1 | sed -E 's/href="mailto:([^"]*)"/\1/')
    [ -n "$email" ] || { echo "could not read the email of contact $typical" >&2; exit 1; }
    pages=(
      "contact search, a surname (full page at both sizes)|GET|/Contacts?q=flores"
      "contact search, 0.5 % match|GET|/Contacts?q=garcia"
      "contact search, one match (email)|GET|/Contacts?q=$(sed 's/@/%40/' <<<"$email")"
      "contact detail + Casos tab|GET|/Contacts/$busiest?tab=cases"
      "baseline (hand-written)|GET|/Benchmark/Baseline/Contacts/$busiest?tab=cases"
      "filtered case list|GET|/Cases?status=InProgress&priority=High|data-case-id="
      # The list as an agent opens it: the open cases by last change (fifteen branches, ADR 0031), and Mis casos.
      "case list, open cases (default view)|GET|/Cases|data-case-id="
      "case list, Mis casos|GET|/Cases?view=mine|data-case-id="
      # Issue 18/21: the list by "Vence" (the due sort's index), every case and the agent's own.
      "case list by Vence, all|GET|/Cases?view=all&sort=due&dir=asc|data-case-id="
      "case list by Vence, Mis casos|GET|/Cases?view=mine&sort=due&dir=asc|data-case-id="
      "saved views (Vistas guardadas)|GET|/Cases/Views"
      "case detail|GET|/Cases/$sample"
      "create case (POST)|POST|/Contacts/$typical/Cases/Create"
      "start page, agent|GET|/"
      "start page, supervisor|SUPERVISOR|/"
      # Issue 16. The fourth field counts the rows a page shows (a pattern of its markup), for the table.
      "activities: case timeline (500 activities)|GET|/Cases/$timeline|class=\"timeline-item"
      "activities: contact Actividades tab (busiest contact)|GET|/Contacts/$busiest?tab=activities|href=\"/Activities/[0-9]"
      "activities: Mis actividades, Overdue|GET|/Activities?view=Overdue|href=\"/Activities/[0-9]"
      "activities: Mis actividades, All|GET|/Activities?view=All|href=\"/Activities/[0-9]"
      "activities: calendar week|GET|/Calendar?date=$calendar_date|class=\"calendar-item"
      # Issue 20: the signed-in user's access tokens.
      "api: Tokens de acceso|GET|/Account/Tokens"
      # The API (bearer token): the case list by "Vence" (keyset, 100 a page), a filtered list, one case.
      "api: case list by due, 100|API|/api/v1/cases?view=all&sort=due&limit=100|\"number\":"
      "api: filtered case list|API|/api/v1/cases?status=InProgress&priority=High|\"number\":"
      "api: one case|API|/api/v1/cases/$sample"
    )
    # Issue 21: combined filters, each a run of rows to skip for a one-column walk on the skewed set (SKEW): the burst's
    # category (New + Normal, unassigned) and agent (the demo agent, InProgress + Low). Older info files lack the facts.
    skew_category=$(grep '^skew_category_id=' "$info" | cut -d= -f2 || true)
    skew_agent=$(grep '^skew_agent_id=' "$info" | cut -d= -f2 || true)
    [ -n "$skew_category" ] && pages+=("case list, category × priority|GET|/Cases?categoryId=$skew_category&priority=High|data-case-id="
      "case list, assignee × status|GET|/Cases?assignee=$skew_agent&status=New|data-case-id="
      "case list by Vence, Mis casos with a status|GET|/Cases?view=mine&status=New&sort=due&dir=asc|data-case-id="
      "case list by Vence, category × unassigned × priority|GET|/Cases?categoryId=$skew_category&assignee=none&priority=High&sort=due&dir=asc|data-case-id=")
    # Issue 17: the timeline of a case with 500 emails, incoming and outgoing in turn.
    [ -n "$thread" ] && pages+=("email: case thread (500 emails)|GET|/Cases/$thread|data-email-id=")
    # Issue 18: the service-level report over the year before the generator's fixed now, by month and by agent (supervisor).
    year_from=$(date -u -d "$calendar_date -1 year" +%F); year_to=$(date -u -d "$calendar_date -1 day" +%F)
    pages+=("report: a year by month|SUPERVISOR|/Reports?From=$year_from&To=$year_to&GroupBy=Month|data-group="
      "report: a year by agent|SUPERVISOR|/Reports?From=$year_from&To=$year_to&GroupBy=Agent|data-group=")
    # Issue 19: the preview of "Combinar casos" for ten cases (what each holds, counted in one statement, and the rules' dry run).
    merge_ids=$(for i in $(seq 0 9); do printf 'ids=%s&' $((sample + i)); done)
    pages+=("merge preview, 10 cases|SUPERVISOR|/Cases/Merge?${merge_ids}keep=$sample|data-count=\"comments")
    # Issue 19: "Editar seleccionados" for 50 selected cases (the page; its POST's statements are fixed, SqlBudgetTests).
    pages+=("bulk edit: the form for 50 cases|SUPERVISOR|/Cases/BulkEdit?ids=$(seq -s '&ids=' 1 50)|data-case-id=")
    # Issue 19: "Exportar CSV" of a contact search (a surname: a full list of rows, streamed).
    pages+=("export: contact search CSV|GET|/Contacts/Export?q=flores")
    # Issue 20: the API's lists with a token (each request also pays the token's authentication), 100 rows a page.
    phone=$(curl -fs -H "Authorization: Bearer $api_token" "$base/api/v1/contacts/$typical" | grep -o '"phone":"[^"]*"' | cut -d'"' -f4 || true)
    pages+=("api: contact search, a surname|API|/api/v1/contacts?q=flores&limit=100|\"id\":"
      "api: accounts, first 100 by name|API|/api/v1/accounts?limit=100|\"id\":"
      "api: activities, All|API|/api/v1/activities?view=All&limit=100|\"id\":"
      "api: activities of the busiest contact|API|/api/v1/activities?contactId=$busiest&limit=100|\"id\":")
    [ -n "$phone" ] && pages+=("api: caller id (by-phone, +34)|API|/api/v1/contacts/by-phone?number=%2B34$(tr -cd '0-9' <<<"$phone" | sed -E 's/^(0034|34)//')|\"id\":")
    if [ -n "$PAGES" ]; then
      # Only the pages whose name matches $PAGES, an extended regular expression (PAGES="start page", "contact detail|create case").
      selected=()
      for entry in "${pages[@]}"; do [[ "${entry%%|*}" =~ $PAGES ]] && selected+=("$entry"); done
      pages=("${selected[@]}")
    fi
    # The app has just started: run every page once first, so that no page is measured while the JIT still works
    # (QUICK: only each page's own short warm-up below).
    warm=2s; [ "$QUICK" = 1 ] && warm=1s
    for entry in "${pages[@]}"; do
      [ "$QUICK" = 1 ] || [ "$WARM_ALL" = 0 ] && break
      IFS='|' read -r name method url rows_pattern <<<"$entry"
      script="$tmp/get.lua"; [ "$method" = POST ] && script="$tmp/post.lua"; [ "$method" = SUPERVISOR ] && script="$tmp/get-supervisor.lua"
      [ "$method" = API ] && script="$tmp/api.lua"
      timeout 60 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARM_ALL" -s "$script" "$base$url" > /dev/null
    done
    for entry in "${pages[@]}"; do
      IFS='|' read -r name method url rows_pattern <<<"$entry"
      sign_in
      rows=""
      if [ -n "$rows_pattern" ]; then
        page_cookie=$cookie; [ "$method" = SUPERVISOR ] && page_cookie=$supervisor_cookie
        if [ "$method" = API ]; then
          rows=$(curl -fs -H "Authorization: Bearer $api_token" "$base$url" | grep -o "$rows_pattern" | wc -l || true)
        else
          rows=$(curl -fs -H "Cookie: $page_cookie" "$base$url" | grep -o "$rows_pattern" | wc -l || true)
        fi
      fi
      script="$tmp/get.lua"; [ "$method" = POST ] && script="$tmp/post.lua"; [ "$method" = SUPERVISOR ] && script="$tmp/get-supervisor.lua"
      [ "$method" = API ] && script="$tmp/api.lua"
      # Warm-up (JIT, caches, connection pool), then the measured run between two readings of the counters.
      timeout 60 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$warm" -s "$script" "$base$url" > /dev/null
      before=$(curl -fs "$base/Benchmark/Stats")
      out="$WORK/$tag-$(tr -c 'a-zA-Z0-9' '_' <<<"$name" | tr -s _).wrk.txt"
      # PROFILE=1: a CPU sample of the app during the measured run (dotnet-trace, the local tool), for `dotnet dotnet-trace
      # report <file> topN`; the sampling costs the app some throughput, so the page's figures are then rougher.
      trace_pid=""
      if [ "$PROFILE" = 1 ]; then
        seconds=$(to_ms "$DURATION" | awk '{ printf "%d", $1 / 1000 }')
        timeout $((seconds + 60)) dotnet dotnet-trace collect -p "$app_pid" --profile dotnet-sampled-thread-time \
          --duration "$(date -u -d "@$seconds" +%H:%M:%S)" -o "${out%.wrk.txt}.nettrace" > /dev/null 2>&1 &
        trace_pid=$!; sleep 1
      fi
      timeout 300 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$script" "$base$url" > "$out"
      if [ -n "$trace_pid" ]; then wait "$trace_pid" 2>/dev/null || true; fi
      after=$(curl -fs "$base/Benchmark/Stats")
      requests=$(( $(stat_of requests "$after") - $(stat_of requests "$before") ))
      sql=$(( $(stat_of sql_commands "$after") - $(stat_of sql_commands "$before") ))
      alloc=$(( $(stat_of allocated_bytes "$after") - $(stat_of allocated_bytes "$before") ))
      cpu=$(( $(stat_of cpu_ms "$after") - $(stat_of cpu_ms "$before") ))
      rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
      p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")
      p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")
      errors=$(awk '/Non-2xx or 3xx responses:/ {print $5}' "$out"); errors=${errors:-0}
      per_sql=$(awk -v s="$sql" -v r="$requests" 'BEGIN { printf "%.2f", r ? s / r : 0 }')
      per_kb=$(awk -v a="$alloc" -v r="$requests" 'BEGIN { printf "%.0f", r ? a / r / 1024 : 0 }')
      per_cpu=$(awk -v c="$cpu" -v r="$requests" 'BEGIN { printf "%.2f", r ? c / r : 0 }')
      printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$provider" "$cases_label" "$name" "$rps" "$p50" "$p99" "$per_sql" "$per_kb" \
        "$per_cpu" "$errors" "$(cut -d' ' -f1 /proc/loadavg)" "$rows" >> "$results"
      say "$tag: $name: $rps req/s, p50 $p50 ms, p99 $p99 ms, $per_sql SQL/req, $per_kb KB/req, $per_cpu CPU ms/req, $errors errors${rows:+, $rows rows shown}"
      [ "$errors" = 0 ] || failures=$((failures + 1))
    done

    # Our contact page against the baseline, alternately: the load of a shared machine drifts within a run, so each
    # round compares two short runs made seconds apart, and the median of the rounds is the figure.
    if [ "$RATIO_ROUNDS" -gt 0 ]; then
      ratios=()
      for _ in $(seq 1 "$RATIO_ROUNDS"); do
        sign_in
        ours=$(timeout 60 wrk -t"$THREADS" -c"$CONNECTIONS" -d3s -s "$tmp/get.lua" "$base/Contacts/$busiest?tab=cases" | awk '/^Requests\/sec:/ {print $2}')
        theirs=$(timeout 60 wrk -t"$THREADS" -c"$CONNECTIONS" -d3s -s "$tmp/get.lua" "$base/Benchmark/Baseline/Contacts/$busiest?tab=cases" | awk '/^Requests\/sec:/ {print $2}')
        ratios+=("$(awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "%.2f", b ? a / b : 0 }')")
        say "$tag: contact page $ours req/s, baseline $theirs req/s"
      done
      median=$(printf '%s\n' "${ratios[@]}" | sort -n | sed -n "$(( (RATIO_ROUNDS + 1) / 2 ))p")
      printf '| %s | %s | contact detail ÷ baseline, alternating 3 s rounds: %s | **%s** | | | | | | | | |\n' \
        "$provider" "$cases" "${ratios[*]}" "$median" >> "$results"
      say "$tag: contact page ÷ baseline: ${ratios[*]} (median $median)"
    fi

    stats=$(curl -fs "$base/Benchmark/Stats")
    peak_mb=$(( $(stat_of vm_hwm_kb "$stats") / 1024 ))
    # What the resident memory is made of at the end (docs/performance.md, "Where the peak memory is"): code mapped from
    # assemblies and libraries, code the JIT wrote (its double-mapped memory is shared memory), and the rest.
    split="at the end: $(( $(stat_of rss_file_kb "$stats") / 1024 )) MB mapped files, $(( $(stat_of rss_shmem_kb "$stats") / 1024 )) MB JIT code, $(( $(stat_of rss_anon_kb "$stats") / 1024 )) MB anonymous ($(( $(stat_of gc_committed_bytes "$stats") / 1048576 )) MB of it the GC's)"
    printf '| %s | %s | peak memory (VmHWM); %s | | | | | %s MB | | | | |\n' "$provider" "$cases_label" "$split" "$peak_mb" >> "$results"
    say "$tag: peak memory $peak_mb MB; $split"
    kill "$app_pid"; wait "$app_pid" 2>/dev/null || true; app_pid=""
    # The app's own log: an error there always means an error (ADR 0039), and a writer that waited out SQLite's write gate
    # stopped every writer for 5 s (ADR 0030). Either fails the run; warnings are counted by their first words.
    log="$WORK/$tag-app.log"
    errors=$(grep -c '^\[[0-9:]* ERR\]' "$log" || true)
    takeovers=$(grep -c 'the place is taken over' "$log" || true)
    warnings=$(grep '^\[[0-9:]* WRN\]' "$log" | cut -d' ' -f3-9 | sed -E 's/\{[0-9a-f-]{36}\}/{id}/g' | sort | uniq -c | sort -rn | awk '{n=$1; $1=""; printf "%s%d ×%s", (NR>1 ? "; " : ""), n, $0}')
    printf '| %s | %s | app log: %s errors, %s write-gate take-overs; warnings: %s | | | | | | | | | |\n' "$provider" "$cases_label" "$errors" "$takeovers" "${warnings:-none}" >> "$results"
    say "$tag: app log: $errors errors, $takeovers write-gate take-overs; warnings: ${warnings:-none}"
    if [ "$errors" -gt 0 ] || [ "$takeovers" -gt 0 ]; then
      echo "$tag: the app logged $errors errors and $takeovers write-gate take-overs (see $log)" >&2
      failures=$((failures + 1))
    fi
    rm -rf "$tmp"
    [ "$provider" = Postgres ] && [ "$KEEP_POSTGRES" != 1 ] && psql_admin "DROP DATABASE IF EXISTS $dbname WITH (FORCE)"
  done
done

cat "$results"
if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed (see above)" >&2
  exit 1
fi
