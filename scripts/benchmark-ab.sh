#!/usr/bin/env bash
# A/B comparison of two builds of the app on the same machine at the same time (docs/performance.md, "Before and
# after"): both run side by side on copies of the same SQLite benchmark database, and wrk measures each page on one and
# then the other in alternating 3-second rounds, so the neighbours' load falls on both alike. Loopback only.
#
#   OLD_WEB_DIR=/path/to/old/checkout/src/CaseCrm.Web  (its Release build, from before the benchmark host existed)
#   OLD_DB=…/Sqlite-10000-seed42.db  NEW_DB=…/Sqlite-10000-seed42.db  INFO=…/Sqlite-10000.info  (from scripts/benchmark.sh)
#   scripts/benchmark-ab.sh
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
info=${INFO:?}
busiest=$(grep '^busiest_contact_id=' $info | cut -d= -f2); sample=$(grep '^sample_case_id=' $info | cut -d= -f2)
cp "${OLD_DB:?}" /tmp/ab-old.db; cp "${NEW_DB:?}" /tmp/ab-new.db
(cd "${OLD_WEB_DIR:?}" && exec env ASPNETCORE_ENVIRONMENT=Benchmark Database__Provider=Sqlite ConnectionStrings__Default="Data Source=/tmp/ab-old.db" dotnet bin/Release/net10.0/CaseCrm.Web.dll --urls http://127.0.0.1:41001) > /tmp/ab-old.log 2>&1 &
p1=$!
env Database__Provider=Sqlite ConnectionStrings__Default="Data Source=/tmp/ab-new.db" dotnet "$root/benchmarks/CaseCrm.Benchmarks/bin/Release/net10.0/CaseCrm.Benchmarks.dll" --urls http://127.0.0.1:41002 > /tmp/ab-new.log 2>&1 &
p2=$!
trap 'kill $p1 $p2' EXIT
sleep 15
signin() {
  local base=$1 t=$(mktemp -d)
  curl -fs -D $t/h1 -o $t/l.html $base/Account/Login
  local af=$(grep -i '^set-cookie: CaseCrm.Antiforgery=' $t/h1 | sed -E 's/^[^:]*: ([^;]*).*/\1/' | tr -d '\r')
  local tok=$(grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' $t/l.html | head -1 | sed -E 's/.*value="([^"]*)"/\1/')
  curl -s -D $t/h2 -o /dev/null -H "Cookie: $af" --data-urlencode "Email=agente@casecrm.test" --data-urlencode "Password=agente-demo-2026" --data-urlencode "__RequestVerificationToken=$tok" $base/Account/Login
  local auth=$(grep -i '^set-cookie: CaseCrm.Auth=' $t/h2 | sed -E 's/^[^:]*: ([^;]*).*/\1/' | tr -d '\r')
  printf 'wrk.headers["Cookie"] = "%s"\n' "$af; $auth" > /tmp/ab-$2.lua
}
signin http://127.0.0.1:41001 old; signin http://127.0.0.1:41002 new
pages=("/Cases/$sample" "/Cases?status=InProgress&priority=High" "/Contacts?q=flores" "/Contacts/$busiest?tab=cases")
for p in "${pages[@]}"; do for v in old new; do port=41001; [ $v = new ] && port=41002; wrk -t2 -c8 -d4s -s /tmp/ab-$v.lua "http://127.0.0.1:$port$p" >/dev/null; done; done
for round in 1 2 3 4 5; do
  for p in "${pages[@]}"; do
    for v in old new; do
      port=41001; [ $v = new ] && port=41002
      out=$(wrk -t2 -c8 -d3s --latency -s /tmp/ab-$v.lua "http://127.0.0.1:$port$p")
      echo "$round|$p|$v|$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")|$(awk '$1=="50%" {print $2}' <<<"$out")|$(grep -c 'Non-2xx' <<<"$out")"
    done
  done
done
