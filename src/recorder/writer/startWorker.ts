import { Worker } from 'node:worker_threads';
import type { WriterInit } from './protocol.js';

/**
 * The writer's garbage is a batch's worth at a time, all short-lived: a small young generation (V8 gives a
 * thread up to some 48 MB of it by default) is scavenged more often, cheaply, and keeps the process's peak
 * RSS down (measured: -14 MB on a 300k-event stream).
 */
const WRITER_LIMITS = { maxYoungGenerationSizeMb: 4 };

/**
 * Starts the writer thread from this module's sibling: `writerWorker.js` when runtape runs built, or
 * `writerWorker.ts` when it runs from its sources (its own tests), loaded through tsx as the sources are.
 */
export function startWriterWorker(init: WriterInit): Worker {
  const fromSources = import.meta.url.endsWith('.ts');
  const entry = new URL(fromSources ? './writerWorker.ts' : './writerWorker.js', import.meta.url);
  // No execArgv: the writer needs none of the application's loaders (tsx, an APM agent), which would slow its start.
  if (!fromSources) return new Worker(entry, { workerData: init, execArgv: [], resourceLimits: WRITER_LIMITS });
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: init, execArgv: [], resourceLimits: WRITER_LIMITS });
}
