// Builds dist/ from src/ by transpiling each module on its own with esbuild: well under a second, where tsc
// takes several. Types are checked by `npm run typecheck` (part of `npm test`), and the declaration files
// the published package needs come from `npm run build:types` (run by prepack), so neither is in the way of
// `npm run demo` or of the tests, which run dist/.
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
// Another directory when given (the bench times a build without touching the dist/ tests may be using).
const dist = process.argv[2] ?? join(root, 'dist');

// A module deleted from src/ must not live on in dist/.
rmSync(dist, { recursive: true, force: true });
await build({
  entryPoints: readdirSync(src, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => join(src, file)),
  outbase: src,
  outdir: dist,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  tsconfig: join(root, 'tsconfig.json'),
  logLevel: 'warning',
});
