/**
 * Opens the inspector on a run, on a screen that draws into nothing, and reports on stdout, as JSON, the time
 * to its first paint and the process's RSS then. The run: an id, a unique prefix of one, or `last`. A process of its own, so the RSS is the inspector's alone.
 */
import { openStore } from '../../src/store/openStore.js';
import { headlessScreen, openInspector } from '../../src/tui/index.js';

const [dbPath, ref] = process.argv.slice(2);
const store = await openStore(dbPath, { readonly: true });
const runId = (await store.resolveRun(ref!)).id;
const screen = headlessScreen(160, 48);
const inspector = await openInspector({ store, runId, screen });
const rssMb = process.memoryUsage().rss / 2 ** 20;
process.stdout.write(JSON.stringify({ firstPaintMs: inspector.firstPaintMs, rssMb }) + '\n');
inspector.close();
await inspector.closed;
screen.destroy();
await store.close();
process.exit(0);
