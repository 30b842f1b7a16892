# Install steps shared by ./quotient and the test script; each is a no-op when already done.
# Sourced, not run: it defines functions.

log() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }

ensure_uv() {
  if command -v uv >/dev/null 2>&1; then return; fi
  export PATH="$HOME/.local/bin:$PATH"
  if command -v uv >/dev/null 2>&1; then return; fi
  log "installing uv"
  python3 -m pip install --quiet --user uv 2>/dev/null || python3 -m pip install --quiet uv
}

ensure_python() {
  ensure_uv
  uv sync --locked --quiet
}

ensure_node_modules() {
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm is required (Node.js 20+): install it, then run this again" >&2
    exit 1
  fi
  if [ ! -d frontend/node_modules ] || [ frontend/package-lock.json -nt frontend/node_modules/.package-lock.json ]; then
    log "installing front-end packages"
    npm --prefix frontend ci --no-audit --no-fund --loglevel=error
  fi
}

spa_is_stale() {
  [ ! -f frontend/dist/index.html ] && return 0
  [ -n "$(find frontend/src frontend/index.html frontend/package-lock.json frontend/vite.config.ts \
      -newer frontend/dist/index.html -print -quit 2>/dev/null)" ]
}

ensure_spa() {
  if spa_is_stale; then
    ensure_node_modules
    log "building the SPA"
    npm --prefix frontend run build --silent
  fi
}

ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then return; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing Debian's chromium for the browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Browser tests need /usr/bin/chromium: sudo apt-get install chromium" >&2
    exit 1
  fi
}
