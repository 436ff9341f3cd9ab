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
  echo "$file"
done
