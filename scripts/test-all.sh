#!/usr/bin/env bash
# Every check and test, the same on a laptop and in CI: lint, types, layers, contracts,
# migrations, Python tests (SQLite and PostgreSQL), front-end tests and the browser suite.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh

ensure_python
ensure_node_modules
ensure_chromium
export PATH="$PWD/.venv/bin:$PATH"

log "lint (ruff)"
ruff check .
ruff format --check .

log "types (mypy strict)"
mypy backend solver

log "layers (import-linter)"
lint-imports

log "schema.graphql matches the code"
diff -u schema.graphql <(quotient export-schema) || {
  echo "schema.graphql is out of date: run ./quotient export-schema > schema.graphql" >&2
  exit 1
}

log "migrations match the models (alembic check)"
check_db="$(mktemp -d)/check.db"
DATABASE_URL="sqlite+aiosqlite:///$check_db" alembic upgrade head
DATABASE_URL="sqlite+aiosqlite:///$check_db" alembic check

log "docker-compose.yml is valid (Compose v2's own parser)"
QUOTIENT_SECRET_KEY=validate-only \
  "$(python -c 'import compose, pathlib; print(pathlib.Path(compose.__file__).parent / "docker-compose")')" \
  -f docker-compose.yml config -q

log "front end: generated GraphQL types are current, unit tests, build"
npm --prefix frontend run codegen --silent
git diff --exit-code -- frontend/src/gql || {
  echo "frontend/src/gql is out of date: run npm --prefix frontend run codegen" >&2
  exit 1
}
npm --prefix frontend test --silent
npm --prefix frontend run build --silent

log "Python tests (SQLite and PostgreSQL)"
pytest -q "$@"

log "browser tests (Playwright in Chromium) against a fresh demo"
e2e_dir="$(mktemp -d)"
port="${E2E_PORT:-8765}"
smtp_port="${E2E_SMTP_PORT:-$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
# A local SMTP server takes the demo's e-mail notifications into a maildir that
# zz-tracking.spec.ts reads (E2E_MAILDIR); plain SMTP, as on a developer's machine.
python -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox "$e2e_dir/mail" \
  >"$e2e_dir/smtp.log" 2>&1 &
smtp_pid=$!
DATABASE_URL="sqlite+aiosqlite:///$e2e_dir/e2e.db" \
  QUOTIENT_SMTP_HOST=127.0.0.1 QUOTIENT_SMTP_PORT="$smtp_port" QUOTIENT_SMTP_TLS=none \
  quotient demo --reps 60 --regenerate --port "$port" >"$e2e_dir/server.log" 2>&1 &
server_pid=$!
trap 'kill $server_pid $smtp_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  if ! kill -0 "$server_pid" 2>/dev/null; then cat "$e2e_dir/server.log" >&2; exit 1; fi
  sleep 0.5
done
E2E_BASE_URL="http://127.0.0.1:$port" E2E_MAILDIR="$e2e_dir/mail" npm --prefix frontend run e2e --silent || {
  echo "--- server log ---" >&2; tail -50 "$e2e_dir/server.log" >&2; exit 1
}
log "all checks passed"
