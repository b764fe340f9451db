#!/usr/bin/env bash
# Build the demo database of an older commit for the upgrade test (src/wegweiser/ops/tests/test_upgrade.py).
#
#   scripts/make_upgrade_fixture.sh COMMIT
#
# Checks COMMIT out into a temporary worktree, runs its migrations and its `seed_demo` on a fresh
# SQLite file (as `make run` did at that commit) and stores the file xz-compressed as
# src/wegweiser/ops/tests/fixtures/upgrade-<short commit>.sqlite3.xz. Demo data is synthetic.
set -euo pipefail
commit=$(git rev-parse --short "${1:?usage: $0 COMMIT}")
root=$(git rev-parse --show-toplevel)
tmp=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$tmp/src" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
git -C "$root" worktree add --detach "$tmp/src" "$commit" >/dev/null
export WEGWEISER_VAR_DIR="$tmp/var" DATABASE_URL="sqlite:///$tmp/demo.sqlite3" PYTHONPATH="$tmp/src/src"
"$root/.venv/bin/python" "$tmp/src/manage.py" migrate --noinput -v0
"$root/.venv/bin/python" "$tmp/src/manage.py" seed_demo >/dev/null
xz -9 -c "$tmp/demo.sqlite3" >"$root/src/wegweiser/ops/tests/fixtures/upgrade-$commit.sqlite3.xz"
echo "src/wegweiser/ops/tests/fixtures/upgrade-$commit.sqlite3.xz"
