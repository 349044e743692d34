import { Worker } from 'node:worker_threads';
import type { WriterInit } from './protocol.js';

/**
 * Starts the writer thread from this module's sibling: `writerWorker.js` when runtape runs built, or
 * `writerWorker.ts` when it runs from its sources (its own tests), loaded through tsx as the sources are.
 */
export function startWriterWorker(init: WriterInit): Worker {
  const fromSources = import.meta.url.endsWith('.ts');
  const entry = new URL(fromSources ? './writerWorker.ts' : './writerWorker.js', import.meta.url);
  // No execArgv: the writer needs none of the application's loaders (tsx, an APM agent), which would slow its start.
  if (!fromSources) return new Worker(entry, { workerData: init, execArgv: [] });
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: init, execArgv: [] });
}
