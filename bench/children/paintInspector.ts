/**
 * Opens the inspector on a run, on a screen that draws into nothing, and reports on stdout, as JSON, the time
 * to its first paint and the process's RSS then. A process of its own, so the RSS is the inspector's alone.
 */
import { openStore } from '../../src/store/openStore.js';
import { headlessScreen, openInspector } from '../../src/tui/index.js';

const [dbPath, runId] = process.argv.slice(2);
const store = await openStore(dbPath, { readonly: true });
const screen = headlessScreen(160, 48);
const inspector = await openInspector({ store, runId: runId!, screen });
const rssMb = process.memoryUsage().rss / 2 ** 20;
process.stdout.write(JSON.stringify({ firstPaintMs: inspector.firstPaintMs, rssMb }) + '\n');
inspector.close();
await inspector.closed;
screen.destroy();
await store.close();
process.exit(0);
