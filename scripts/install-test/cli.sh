#!/usr/bin/env bash
# The packed lb-doctor CLI outside the monorepo:
#
#   scripts/install-test/cli.sh TARBALL WORKDIR
#
# installs TARBALL with npm into an empty WORKDIR (no yarn, no workspace) and runs `lb-doctor` on
# fixture dumps under every Node at hand: the machine's own (LBD_SYSTEM_NODE, Node 20 on the
# project's machines; the package claims Node >= 20) and the Node 24 that env.sh provides. It
# checks --help, --version, the report and the exit statuses.
set -euo pipefail
tarball="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
work="$2"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
fixtures="$root/plugins/metallb-common/fixtures"

rm -rf "$work"
mkdir -p "$work"
printf '{ "name": "lb-doctor-install-test", "private": true }\n' >"$work/package.json"
(cd "$work" && npm install --no-audit --no-fund --loglevel=error "$tarball" >/dev/null)

# The tarball must be self-contained: nothing but the CLI itself got installed.
installed="$(cd "$work/node_modules" && find . -name package.json -not -path './@lb-doctor/cli/*' | wc -l)"
if [ "$installed" != 0 ]; then
  echo "install-test: the CLI tarball pulled in dependencies:" >&2
  ls -R "$work/node_modules" | head -20 >&2
  exit 1
fi
node -e '
  const p = require(process.argv[1]);
  const deps = { ...p.dependencies, ...p.peerDependencies, ...p.optionalDependencies };
  if (Object.keys(deps).length) { console.error("install-test: CLI manifest has dependencies", deps); process.exit(1); }
' "$work/node_modules/@lb-doctor/cli/package.json"

version="$(node -p "require('$root/packages/cli/package.json').version")"
nodes=("$(command -v node)")
if [ -n "${LBD_SYSTEM_NODE:-}" ] && [ "$LBD_SYSTEM_NODE" != "${nodes[0]}" ]; then
  nodes+=("$LBD_SYSTEM_NODE")
fi

fail() {
  echo "install-test: CLI on $("$node" --version): $*" >&2
  exit 1
}

for node in "${nodes[@]}"; do
  bin="$work/node_modules/.bin/lb-doctor"
  run() { PATH="$(dirname "$node"):$PATH" "$bin" "$@"; }
  major="$("$node" -p 'process.versions.node.split(".")[0]')"
  [ "$major" -ge 20 ] || { echo "install-test: skipping Node $major (< 20)" >&2; continue; }

  out="$(run --version)" || fail "--version failed"
  [ "$out" = "$version" ] || fail "--version printed '$out', expected $version"

  out="$(run --help)" || fail "--help failed"
  for section in NAME SYNOPSIS OPTIONS 'EXIT STATUS' EXAMPLES; do
    grep -q "^$section" <<<"$out" || fail "--help has no $section section"
  done

  # A contended Service: error findings, so exit status 1 with the default --fail-on error.
  status=0
  out="$(run analyze "$fixtures/chisel-status-loop.yaml")" || status=$?
  [ "$status" = 1 ] || fail "chisel-status-loop.yaml: exit status $status, expected 1"
  grep -q 'controller-contention' <<<"$out" || fail "chisel-status-loop.yaml: no controller-contention finding"

  status=0
  out="$(run analyze --fail-on never --format sarif "$fixtures/chisel-status-loop.yaml")" || status=$?
  [ "$status" = 0 ] || fail "--fail-on never: exit status $status, expected 0"
  node -e '
    const s = JSON.parse(require("fs").readFileSync(0, "utf8"));
    if (s.version !== "2.1.0" || !s.runs[0].results.some(r => r.ruleId === "controller-contention")) process.exit(1);
  ' <<<"$out" || fail "--format sarif: not SARIF 2.1.0 with the controller-contention result"

  status=0
  run analyze "$fixtures/healthy.yaml" >/dev/null || status=$?
  [ "$status" = 0 ] || fail "healthy.yaml: exit status $status, expected 0"

  status=0
  err="$(run analyze "$work/no-such-file.yaml" 2>&1 >/dev/null)" || status=$?
  [ "$status" = 2 ] || fail "a missing file: exit status $status, expected 2"
  grep -q 'no-such-file.yaml' <<<"$err" || fail "a missing file: stderr does not name it: $err"

  # As the README's CI snippets run it, without an install step: npx on the tarball.
  status=0
  # A folder of its own (npm resolves ./ against the nearest package.json), as in a CI checkout.
  mkdir -p "$work/npx"
  printf '{ "private": true }\n' >"$work/npx/package.json"
  cp "$tarball" "$work/npx/lb-doctor-cli.tgz"
  out="$(cd "$work/npx" && PATH="$(dirname "$node"):$PATH" npx --yes ./lb-doctor-cli.tgz analyze \
    --fail-on never "$fixtures/healthy.yaml" 2>/dev/null)" || status=$?
  [ "$status" = 0 ] && grep -q '^CLUSTER default' <<<"$out" || fail "npx TARBALL analyze: status $status"

  echo "install-test: CLI from the tarball works on Node $("$node" --version)"
done
