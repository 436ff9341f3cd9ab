#!/usr/bin/env node
/*
 * Makes @lb-doctor/cli a package that runs anywhere with `npx @lb-doctor/cli` on Node 20 or newer:
 *
 *   node scripts/pack.mjs bundle     dist/index.cjs.js: src/index.ts with the engine
 *                                    (@lb-doctor/plugin-metallb-common), commander and yaml inlined
 *   node scripts/pack.mjs prepack    bundle, then rewrite package.json for publishing: no
 *                                    dependencies (everything is in the bundle), main on dist,
 *                                    engines >= 20; the original is kept as package.json-prepack
 *   node scripts/pack.mjs postpack   put the original package.json back
 *
 * `yarn pack` and `yarn npm publish` run prepack and postpack (see package.json scripts). In the
 * monorepo, bin/lb-doctor runs src/ directly and nothing here is needed.
 */
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifest = path.join(pkgDir, 'package.json');
const backup = path.join(pkgDir, 'package.json-prepack');

/** The oldest Node the bundle supports; the syntax is lowered to it. */
const NODE_TARGET = '20';

async function bundle() {
  fs.rmSync(path.join(pkgDir, 'dist'), { recursive: true, force: true });
  await build({
    entryPoints: [path.join(pkgDir, 'src/index.ts')],
    outfile: path.join(pkgDir, 'dist/index.cjs.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${NODE_TARGET}`,
    // The engine's sources are TypeScript in the monorepo; resolve them, never a stale dist/.
    mainFields: ['main'],
    conditions: ['node'],
    // Keeps the licence headers of the inlined dependencies (commander, yaml: MIT and ISC).
    legalComments: 'inline',
    sourcemap: false,
    logLevel: 'warning',
    banner: {
      js: '/* @lb-doctor/cli: lb-doctor with its dependencies bundled (see package.json). */',
    },
  });
}

function prepack() {
  if (fs.existsSync(backup)) {
    throw new Error(
      `${backup} exists: a previous pack did not finish; restore it with "node scripts/pack.mjs postpack"`,
    );
  }
  const original = fs.readFileSync(manifest, 'utf8');
  const pkg = JSON.parse(original);
  fs.writeFileSync(backup, original);

  // Everything the CLI runs is inside dist/index.cjs.js, so the published package has no
  // dependency at all: nothing to resolve, no workspace package, a fast `npx`.
  delete pkg.dependencies;
  delete pkg.devDependencies;
  delete pkg.types;
  pkg.main = 'dist/index.cjs.js';
  pkg.engines = { node: `>=${NODE_TARGET}` };
  fs.writeFileSync(manifest, `${JSON.stringify(pkg, null, 2)}\n`);
}

function postpack() {
  if (fs.existsSync(backup)) {
    fs.renameSync(backup, manifest);
  }
}

const command = process.argv[2];
if (command === 'bundle') {
  await bundle();
} else if (command === 'prepack') {
  await bundle();
  prepack();
} else if (command === 'postpack') {
  postpack();
} else {
  console.error('usage: node scripts/pack.mjs bundle|prepack|postpack');
  process.exit(2);
}
