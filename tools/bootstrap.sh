#!/usr/bin/env bash
# Set up what `make demo` and `make test` need: .venv on Python 3.12 with the package,
# and Debian's chromium + chromium-driver. Quick when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
  for candidate in python3.12 "$(pyenv root 2>/dev/null)/versions/"3.12*/bin/python3.12; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  return 1
}

if [ ! -x .venv/bin/python ]; then
  python=$(find_python) || {
    echo "nachtwacht: Python 3.12 niet gevonden. Installeer het (bijv. 'pyenv install 3.12' of 'apt-get install python3.12')." >&2
    exit 1
  }
  echo "== .venv maken met $python"
  "$python" -m venv .venv
fi
if [ ! -f .venv/.installed ] || [ pyproject.toml -nt .venv/.installed ]; then
  echo "== Python-pakketten installeren"
  .venv/bin/pip install --quiet --upgrade pip
  .venv/bin/pip install --quiet -e '.[test]'
  touch .venv/.installed
fi

# redis-server is the broker of the region queue (nachtwacht queue); its test needs one.
if ! command -v redis-server >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "== redis-server installeren (apt, voor de wachtrij en haar test)"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q redis-server >/dev/null ||
    echo "nachtwacht: redis-server niet geïnstalleerd; tests/test_queue.py wordt overgeslagen" >&2
fi
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "== Chromium en chromedriver installeren (apt)"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver >/dev/null
  else
    echo "nachtwacht: Chromium ontbreekt. Voer uit: sudo apt-get install chromium chromium-driver" >&2
    exit 1
  fi
fi

# The current axe-core (4.x, with its Dutch locale) from npm into the venv. Without npm the
# older axe-core bundled with axe-selenium-python is used, and the report says so.
if [ ! -f .venv/axe-core/node_modules/axe-core/axe.min.js ]; then
  if command -v npm >/dev/null; then
    echo "== axe-core installeren (npm)"
    npm install --prefix .venv/axe-core --no-audit --no-fund --silent axe-core@4 >/dev/null 2>&1 ||
      echo "nachtwacht: axe-core niet geïnstalleerd (npm faalde); de meegeleverde oudere axe-core wordt gebruikt" >&2
  else
    echo "nachtwacht: npm ontbreekt; de meegeleverde oudere axe-core wordt gebruikt (installeer npm voor de actuele)" >&2
  fi
fi
