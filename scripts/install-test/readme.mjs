/*
 * Reads the README's "Install into your Backstage app" section and applies it to a create-app
 * app, so that a wrong README fails the install test rather than drifting from the code.
 *
 *   node readme.mjs apply APP_DIR PACKS_DIR   follow the steps in APP_DIR with the tarballs of
 *                                             PACKS_DIR; prints the config YAML to append
 *   node readme.mjs check-rbac APP_DIR        the README's ClusterRole grants exactly what the
 *                                             installed backend's scan reads (the lists come
 *                                             from the engine package it installed)
 *
 * What is taken from the README: every `yarn --cwd DIR add PKG...` line, every
 * `backend.add(import(...))` line, the `metallb:` YAML block, the tarball `resolutions` block and
 * the ClusterRole. Nothing else is known to this script.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
// yaml is a dependency of the engine, so the monorepo always has it.
const { parse: parseYaml } = createRequire(
  path.join(root, 'plugins/metallb-common/package.json'),
)('yaml');

function fail(message) {
  console.error(`install-test: README: ${message}`);
  process.exit(1);
}

function installSection() {
  const text = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const start = text.indexOf('\n## Install into your Backstage app\n');
  if (start < 0) fail('no "## Install into your Backstage app" section');
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

/** Fenced code blocks as { lang, body }, indentation of list items removed. */
function codeBlocks(section) {
  const blocks = [];
  const re = /^( *)```(\w*)\n([\s\S]*?)^\1```$/gm;
  for (const m of section.matchAll(re)) {
    const indent = m[1].length;
    const body = m[3]
      .split('\n')
      .map(line => line.slice(Math.min(indent, line.search(/\S|$/))))
      .join('\n');
    blocks.push({ lang: m[2], body });
  }
  return blocks;
}

export function readSteps() {
  const blocks = codeBlocks(installSection());
  const adds = [];
  const backendLines = [];
  let config;
  let clusterRole;
  let resolutions;
  for (const { lang, body } of blocks) {
    if (lang === 'sh') {
      for (const line of body.split('\n')) {
        const m = /^yarn --cwd (\S+) add ((?:@?[\w./-]+ ?)+)$/.exec(
          line.trim(),
        );
        if (m) adds.push({ dir: m[1], packages: m[2].trim().split(/\s+/) });
      }
    } else if (lang === 'ts') {
      for (const line of body.split('\n')) {
        if (/^backend\.add\(import\('[^']+'\)\);$/.test(line.trim())) {
          backendLines.push(line.trim());
        }
      }
    } else if (lang === 'yaml') {
      const doc = parseYaml(body);
      if (doc?.kind === 'ClusterRole') clusterRole = doc;
      else if (doc?.metallb) config = body;
    } else if (lang === 'json' && body.trim().startsWith('"resolutions"')) {
      resolutions = JSON.parse(`{${body}}`).resolutions;
    }
  }
  if (!adds.some(a => a.dir === 'packages/backend')) {
    fail('no `yarn --cwd packages/backend add` command');
  }
  if (!adds.some(a => a.dir === 'packages/app')) {
    fail('no `yarn --cwd packages/app add` command');
  }
  if (!backendLines.length) fail('no backend.add(import(...)) line');
  if (!config) fail('no app-config YAML block with a metallb key');
  if (!clusterRole) fail('no ClusterRole YAML block');
  if (!resolutions) fail('no "resolutions" JSON block for the tarballs');
  return { adds, backendLines, config, clusterRole, resolutions };
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function writeJson(file, value) {
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Versions of our packages, as `yarn add` would write them once they are published. */
function publishedVersions() {
  const versions = new Map();
  for (const dir of ['plugins', 'packages']) {
    for (const name of fs.readdirSync(path.join(root, dir))) {
      const file = path.join(root, dir, name, 'package.json');
      if (!fs.existsSync(file)) continue;
      const pkg = readJson(file);
      if (!pkg.private) versions.set(pkg.name, pkg.version);
    }
  }
  return versions;
}

function apply(appDir, packsDir) {
  const steps = readSteps();

  // The tarball resolutions, with DIR replaced by the folder pack.sh wrote.
  const rootManifest = path.join(appDir, 'package.json');
  const rootPkg = readJson(rootManifest);
  rootPkg.resolutions = { ...rootPkg.resolutions };
  for (const [name, spec] of Object.entries(steps.resolutions)) {
    const target = spec.replace(/^file:DIR\//, '');
    if (target === spec)
      fail(`resolution ${name}: expected file:DIR/..., got ${spec}`);
    const tarball = path.join(packsDir, target);
    if (!fs.existsSync(tarball)) {
      fail(`resolution ${name} names ${target}, which pack.sh did not write`);
    }
    rootPkg.resolutions[name] = `file:${tarball}`;
  }
  writeJson(rootManifest, rootPkg);

  // `yarn --cwd DIR add PKG` is `PKG@^VERSION` in DIR's dependencies, then an install. The test
  // edits the manifest and runs `yarn install` itself: `yarn add` crashes on this machine's network
  // (a timeout inside yarn's HTTP client) where `yarn install` does not.
  const versions = publishedVersions();
  for (const { dir, packages } of steps.adds) {
    const manifest = path.join(appDir, dir, 'package.json');
    const pkg = readJson(manifest);
    for (const name of packages) {
      const version = versions.get(name);
      if (!version)
        fail(
          `\`yarn --cwd ${dir} add\` names ${name}, which this repository does not publish`,
        );
      if (!steps.resolutions[name])
        fail(`${name} has no tarball in the resolutions block`);
      pkg.dependencies = { ...pkg.dependencies, [name]: `^${version}` };
    }
    pkg.dependencies = Object.fromEntries(
      Object.entries(pkg.dependencies).sort(([a], [b]) => a.localeCompare(b)),
    );
    writeJson(manifest, pkg);
  }

  // backend.add lines the backend does not have yet, before backend.start().
  const indexFile = path.join(appDir, 'packages/backend/src/index.ts');
  let index = fs.readFileSync(indexFile, 'utf8');
  const compact = index.replace(/\s+/g, '');
  const missing = steps.backendLines.filter(
    line => !compact.includes(line.replace(/\s+/g, '')),
  );
  if (!index.includes('\nbackend.start();'))
    fail('create-app backend has no backend.start()');
  index = index.replace(
    '\nbackend.start();',
    `\n// LB Doctor (README "Install into your Backstage app")\n${missing.join(
      '\n',
    )}\n\nbackend.start();`,
  );
  fs.writeFileSync(indexFile, index);

  process.stdout.write(steps.config);
}

/** The README's ClusterRole against the lists and ConfigMaps the packed backend reads. */
function checkRbac(appDir) {
  const { clusterRole } = readSteps();
  // Resolved from the app's backend, as its scan resolves it: the installed engine package.
  const {
    SNAPSHOT_LIST_SOURCES: RESOURCES,
    SNAPSHOT_CONFIG_MAPS: CONFIG_MAPS,
  } = createRequire(path.resolve(appDir, 'packages/backend/package.json'))(
    '@lb-doctor/plugin-metallb-common',
  );
  const readOnly = new Set(['get', 'list', 'watch']);
  const granted = new Set();
  const namedConfigMaps = new Set();
  for (const rule of clusterRole.rules) {
    for (const verb of rule.verbs) {
      if (!readOnly.has(verb))
        fail(`ClusterRole grants "${verb}": it must be read-only`);
    }
    for (const group of rule.apiGroups) {
      for (const resource of rule.resources) {
        if (rule.resourceNames) {
          if (group !== '' || resource !== 'configmaps') {
            fail(`ClusterRole: unexpected resourceNames on ${resource}`);
          }
          rule.resourceNames.forEach(n => namedConfigMaps.add(n));
          if (!rule.verbs.includes('get'))
            fail('ClusterRole: ConfigMaps need get');
        } else {
          if (!rule.verbs.includes('list'))
            fail(`ClusterRole: ${resource} needs list`);
          granted.add(`${group}/${resource}`);
        }
      }
    }
  }
  const read = new Set(RESOURCES.map(r => `${r.group}/${r.plural}`));
  const readNames = new Set(CONFIG_MAPS.map(([, name]) => name));
  const same = (a, b) => a.size === b.size && [...a].every(x => b.has(x));
  if (!same(granted, read)) {
    fail(
      `ClusterRole lists [${[...granted].sort()}] but a scan reads [${[
        ...read,
      ].sort()}] (SNAPSHOT_LIST_SOURCES in @lb-doctor/plugin-metallb-common)`,
    );
  }
  if (!same(namedConfigMaps, readNames)) {
    fail(
      `ClusterRole names ConfigMaps [${[
        ...namedConfigMaps,
      ].sort()}] but a scan reads [${[...readNames].sort()}]`,
    );
  }
  console.log(
    'install-test: the README ClusterRole grants exactly what a scan reads',
  );
}

const [command, ...args] = process.argv.slice(2);
if (command === 'apply') apply(path.resolve(args[0]), path.resolve(args[1]));
else if (command === 'check-rbac') checkRbac(args[0]);
else if (command === 'steps') console.log(JSON.stringify(readSteps(), null, 2));
else
  fail(
    'usage: node readme.mjs apply APP_DIR PACKS_DIR | check-rbac APP_DIR | steps',
  );
