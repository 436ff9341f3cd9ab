#!/usr/bin/env bash
# Builds every publishable package of this repository and packs it the way `yarn npm publish`
# would (@backstage/cli's prepack/postpack; the CLI's own esbuild bundle), into one folder:
#
#   scripts/install-test/pack.sh DIR
#
# writes DIR/lb-doctor-plugin-metallb.tgz, DIR/lb-doctor-plugin-metallb-backend.tgz, ... and
# DIR/lb-doctor-cli.tgz. The README's "Install into your Backstage app" uses these tarballs until
# the packages are on the npm registry.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../env.sh"
cd "$LBD_ROOT"

out="${1:?usage: scripts/install-test/pack.sh DIR}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

# Published packages, in dependency order.
LBD_PUBLISHED_PACKAGES=(
  plugins/metallb-common
  plugins/metallb-node
  plugins/metallb-backend
  plugins/scaffolder-backend-module-metallb
  plugins/metallb
  packages/cli
)

lbd_ensure_install >&2
# Declaration files come from the type-check's output (dist-types/), as in every Backstage repo.
# tsc writes them even when it reports errors; type errors are the type-check step's to fail on
# (scripts/test), while a package whose declarations are missing fails its build below.
yarn tsc >&2 || echo "lb-doctor: WARNING: yarn tsc reported errors (see above); packing anyway" >&2

for dir in "${LBD_PUBLISHED_PACKAGES[@]}"; do
  name="$(node -p "require('./$dir/package.json').name")"
  file="$out/$(echo "$name" | sed 's#^@##; s#/#-#').tgz"
  echo "lb-doctor: packing $name" >&2
  (
    cd "$dir"
    # The CLI is bundled by its prepack; every other package is built by @backstage/cli.
    if [ "$dir" != packages/cli ]; then
      yarn backstage-cli package build >&2
    fi
    yarn pack --out "$file" >&2
  )
  # A pack that failed half-way must not leave the manifest rewritten for publishing.
  if [ -f "$dir/package.json-prepack" ]; then
    echo "lb-doctor: $dir/package.json-prepack left behind by a failed pack" >&2
    exit 1
  fi
  # What a user's install would trip over: a dependency on a package that is never published,
  # a leftover workspace: range, a manifest still pointing at src/, a missing README or LICENSE.
  tar xzf "$file" -O package/package.json | node -e '
    const fs = require("fs");
    const [file, root] = process.argv.slice(1);
    const pkg = JSON.parse(fs.readFileSync(0, "utf8"));
    const unpublished = new Set();
    for (const dir of ["packages", "plugins"]) {
      for (const name of fs.readdirSync(`${root}/${dir}`)) {
        const m = `${root}/${dir}/${name}/package.json`;
        if (fs.existsSync(m) && require(m).private) unpublished.add(require(m).name);
      }
    }
    const problems = [];
    for (const field of ["dependencies", "peerDependencies", "optionalDependencies"]) {
      for (const [name, range] of Object.entries(pkg[field] ?? {})) {
        if (unpublished.has(name)) problems.push(`${field} on the unpublished ${name}`);
        if (String(range).startsWith("workspace:")) problems.push(`${field} ${name}@${range}`);
      }
    }
    const entry = JSON.stringify([pkg.main, pkg.types, pkg.exports]);
    if (/src\//.test(entry)) problems.push(`entry points in src/: ${entry}`);
    if (problems.length) {
      console.error(`lb-doctor: ${file}: ${problems.join("; ")}`);
      process.exit(1);
    }
  ' "$file" "$LBD_ROOT"
  listing="$(tar tzf "$file")"
  for f in README.md LICENSE; do
    grep -qx "package/$f" <<<"$listing" || { echo "lb-doctor: $file has no $f" >&2; exit 1; }
  done
  # Built output is not kept in the working tree (the monorepo runs src/).
  rm -rf "$dir/dist"
  echo "$file"
done
