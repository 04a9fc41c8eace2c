// Builds the extension (and, with --tests, the unit tests) with esbuild.
//
//   node esbuild.mjs               development bundle with a source map
//   node esbuild.mjs --production  minified bundle, as shipped in the .vsix
//   node esbuild.mjs --watch       rebuild on change
//   node esbuild.mjs --tests       compile test/unit/*.test.ts to out/test/
//
// One bundle keeps activation fast and lets the .vsix ship without
// node_modules (hence `vsce package --no-dependencies`). Type checking is
// tsc's job (`npm run typecheck`); esbuild only strips types.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  // VS Code 1.91 runs extensions on Node 20.
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
};

if (args.has('--tests')) {
  // Each test file becomes one self-contained script for `node --test`. The
  // modules under test import nothing from `vscode`, so no stub is needed;
  // marking it external makes an accidental import fail loudly at run time.
  const entryPoints = readdirSync('test/unit')
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => `test/unit/${name}`);
  rmSync('out/test', { recursive: true, force: true });
  await esbuild.build({
    ...common,
    entryPoints,
    outdir: 'out/test',
    external: ['vscode'],
    sourcemap: 'inline',
  });
} else {
  const options = {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode'],
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
  };
  // A stale source map from a development build must not end up in the .vsix.
  rmSync('dist', { recursive: true, force: true });
  if (args.has('--watch')) {
    const context = await esbuild.context(options);
    await context.watch();
  } else {
    await esbuild.build(options);
  }
}
