#!/usr/bin/env bash
# The one test command (README): installs what a fresh Debian 12 machine lacks (PostgreSQL, Chromium, Node.js and npm; `dotnet tool restore` brings dotnet-ef and smtp4dev), builds with warnings as
# errors, checks the three migration sets, writes the SQL Server script, and runs every test
# (unit, integration on SQLite and PostgreSQL, browser in Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  echo "==> Installing ${need[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

echo "==> Restoring tools and packages"
# The package feed of a fresh machine can answer a first request before it has the package: one more try, uncached.
dotnet tool restore || { sleep 30; dotnet tool restore --no-http-cache; }
dotnet restore CaseCrm.sln || { sleep 30; dotnet restore CaseCrm.sln --no-http-cache; }

echo "==> Building (warnings are errors)"
dotnet build CaseCrm.sln --no-restore -c Release

echo "==> Checking that each provider's migrations match the model"
for context in SqliteCrmDbContext PostgresCrmDbContext SqlServerCrmDbContext; do
  dotnet ef migrations has-pending-model-changes --no-build --configuration Release \
    --project src/CaseCrm.Data --startup-project src/CaseCrm.Web --context "$context"
done

echo "==> Generating the idempotent SQL Server script (artifacts/sqlserver-migrations.sql)"
mkdir -p artifacts
dotnet ef migrations script --idempotent --no-build --configuration Release \
  --project src/CaseCrm.Data --startup-project src/CaseCrm.Web --context SqlServerCrmDbContext \
  --output artifacts/sqlserver-migrations.sql
grep -q 'CREATE TABLE \[Cases\]' artifacts/sqlserver-migrations.sql

echo "==> Running the tests"
dotnet test CaseCrm.sln --no-build -c Release
