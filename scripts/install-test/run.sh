#!/usr/bin/env bash
# Installs LB Doctor's packages the way a user would, and checks they work there:
#
#   scripts/install-test/run.sh          everything below
#   scripts/install-test/run.sh cli      only the packed lb-doctor CLI (Node 20 and 24, npm)
#   scripts/install-test/run.sh app      only the Backstage app
#
# 1. Builds and packs every published package (pack.sh).
# 2. CLI: installs the @lb-doctor/cli tarball with npm into an empty folder and runs it on a fixture
#    dump under the machine's own Node (20 or newer) and under Node 24 (cli.sh).
# 3. App: a fresh app from create-app 0.9.2 (Backstage 1.55.0), LB Doctor installed by the steps of
#    README.md's "Install into your Backstage app" (read from the README by readme.mjs), built, its
#    backend started against the cluster simulator; /api/metallb/report must hold the simulator's
#    findings and the frontend bundle the entity tab (check-app.mjs).
#
# Slow things are cached outside the repository (node resolution walks up the folders, so an app
# inside the repository could silently use the monorepo's node_modules): $LBD_INSTALL_TEST_CACHE,
# default ~/.cache/lb-doctor/install-test. The yarn cache is yarn's global one, shared with the
# monorepo. A first run creates and installs the app (about 3 to 5 minutes on 2 cores); later runs
# reinstall only the changed tarballs and rebuild only what changed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# The machine's own Node, before env.sh puts Node 24 first on PATH. scripts/test has sourced
# env.sh already, which then recorded it first.
LBD_SYSTEM_NODE="${LBD_SYSTEM_NODE:-$(command -v node || true)}"
export LBD_SYSTEM_NODE
source "$here/../env.sh"
cd "$LBD_ROOT"

what="${1:-all}"
cache="${LBD_INSTALL_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lb-doctor/install-test}"
mkdir -p "$cache"
export YARN_HTTP_TIMEOUT="${YARN_HTTP_TIMEOUT:-300000}"
step() { printf '\n--- install-test: %s\n' "$*"; }
t0=$SECONDS

step "build and pack"
rm -rf "$cache/packs.new"
bash "$here/pack.sh" "$cache/packs.new" >/dev/null
# Tarballs go to a folder named after their content: yarn caches a file: tarball by its path, so a
# new build must get a new path.
sum="$(cat "$cache"/packs.new/*.tgz | cksum | cut -d' ' -f1)"
packs="$cache/packs-$sum"
if [ -d "$packs" ]; then rm -rf "$cache/packs.new"; else mv "$cache/packs.new" "$packs"; fi
find "$cache" -maxdepth 1 -name 'packs-*' ! -path "$packs" -exec rm -rf {} +

if [ "$what" = all ] || [ "$what" = cli ]; then
  step "the lb-doctor CLI from its tarball"
  bash "$here/cli.sh" "$packs/lb-doctor-cli.tgz" "$cache/cli"
fi

if [ "$what" = all ] || [ "$what" = app ]; then
  template="$cache/template"
  app="$cache/app"
  if [ ! -f "$template/package.json" ]; then
    step "create-app 0.9.2 (Backstage 1.55.0)"
    rm -rf "$template"
    BACKSTAGE_APP_NAME=lbd-install-test npx --yes @backstage/create-app@0.9.2 \
      --skip-install --path "$template" </dev/null >"$cache/create-app.log" 2>&1 ||
      { cat "$cache/create-app.log" >&2; exit 1; }
    # create-app commits a yarn binary and pins it with yarnPath; corepack supplies yarn instead.
    rm -rf "$template/.yarn/releases"
    sed -i '/^yarnPath:/d' "$template/.yarnrc.yml"
    # create-app seeds yarn.lock from the release's lockfile, which cannot be fetched here (it
    # leaves an empty one), so newer plugins than the release's would be resolved (the newest
    # signals backend needs a newer backend-defaults: "httpRouter.addWebSocketHandler is not a
    # function"). The stand-in for that seed: the monorepo's lockfile and its pins of the same
    # release's @backstage/* versions (root package.json resolutions).
    cp "$LBD_ROOT/yarn.lock" "$template/yarn.lock"
    node -e '
      const fs = require("fs");
      const [repo, app] = process.argv.slice(1).map(f => JSON.parse(fs.readFileSync(f, "utf8")));
      const pins = Object.entries(repo.resolutions).filter(([n]) => n.startsWith("@backstage/"));
      app.resolutions = { ...app.resolutions, ...Object.fromEntries(pins) };
      fs.writeFileSync(process.argv[2], JSON.stringify(app, null, 2) + "\n");
    ' "$LBD_ROOT/package.json" "$template/package.json"
  fi

  step "the app's sources from the template, LB Doctor added by the README's steps"
  mkdir -p "$app"
  # Fresh sources every run; node_modules, the install state and yarn.lock survive for speed.
  find "$app" -mindepth 1 -maxdepth 1 ! -name node_modules ! -name .yarn ! -name yarn.lock ! -name '.lbd-build-*' \
    ! -name packages -exec rm -rf {} +
  if [ -d "$app/packages" ]; then
    find "$app/packages" -mindepth 2 -maxdepth 2 ! -name node_modules ! -name dist \
      -exec rm -rf {} +
  fi
  (cd "$template" && tar cf - --exclude=./yarn.lock .) | (cd "$app" && tar xf -)
  [ -f "$app/yarn.lock" ] || cp "$template/yarn.lock" "$app/yarn.lock"
  node "$here/readme.mjs" apply "$app" "$packs" >"$app/app-config.lb-doctor.yaml"


  step "yarn install in the app"
  s=$SECONDS
  # A user's install writes the new packages into the app's lockfile; with CI set, yarn 4 would
  # refuse that (immutable installs by default), so say explicitly that it may.
  (cd "$app" && YARN_ENABLE_IMMUTABLE_INSTALLS=false yarn install) >"$cache/install.log" 2>&1 || {
    tail -40 "$cache/install.log" >&2
    exit 1
  }
  echo "install-test: yarn install: $((SECONDS - s)) s"
  node "$here/readme.mjs" check-rbac "$app"

  step "build the app (frontend and backend)"
  # What `yarn build:backend` (create-app's README) builds, in two steps so that each is redone
  # only when its inputs changed: the frontend (webpack, the slow one) and the backend bundle.
  build_if_changed() { # NAME STAMP_INPUTS... -- COMMAND...
    local name="$1" stamp_file="$app/.lbd-build-$1" inputs=() sum
    shift
    while [ "$1" != -- ]; do inputs+=("$1"); shift; done
    shift
    sum="$(cd "$app" && cat "${inputs[@]}" | cksum)"
    if [ "$(cat "$stamp_file" 2>/dev/null)" = "$sum" ]; then
      echo "install-test: $name build: unchanged since the last run"
      return 0
    fi
    local s=$SECONDS
    (cd "$app" && "$@") >"$cache/build-$name.log" 2>&1 || {
      tail -40 "$cache/build-$name.log" >&2
      return 1
    }
    echo "$sum" >"$stamp_file"
    echo "install-test: $name build: $((SECONDS - s)) s"
  }
  frontend_inputs=(yarn.lock package.json packages/app/package.json
    "$packs/lb-doctor-plugin-metallb.tgz" "$packs/lb-doctor-plugin-metallb-common.tgz")
  backend_inputs=(yarn.lock package.json packages/backend/package.json packages/backend/src/index.ts
    "$packs"/lb-doctor-plugin-metallb*.tgz "$packs/lb-doctor-scaffolder-backend-module-metallb.tgz")
  [ -f "$app/packages/app/dist/index.html" ] || rm -f "$app/.lbd-build-frontend"
  [ -f "$app/packages/backend/dist/bundle.tar.gz" ] || rm -f "$app/.lbd-build-backend"
  build_if_changed frontend "${frontend_inputs[@]}" -- yarn workspace app build
  build_if_changed backend "${backend_inputs[@]}" -- \
    yarn workspace backend build --skip-build-dependencies

  step "start the app's backend against the cluster simulator"
  # Started as `yarn start` starts it (backstage-cli package start), serving the built frontend:
  # running the production bundle would need a second, production-only install of the app.
  node "$here/check-app.mjs" "$app" "$app/app-config.lb-doctor.yaml"
fi

echo "install-test: passed in $((SECONDS - t0)) s"
