import { setTimeout as sleep } from 'node:timers/promises';
import type { Fault } from './fault.js';
import { serverError, streamCutError } from './faultErrors.js';

/**
 * A call's events as they reach the application with the faults aimed at that call: a server error before
 * any event, a stall or a cut after the event each names. A stall ends early, as a waiting read does, when
 * the request's signal aborts (the run's, or the SDK's `modelSettings.timeoutMs`).
 */
export async function* faultedEvents<T>(events: AsyncIterable<T>, faults: readonly Fault[], signal: AbortSignal | undefined): AsyncGenerator<T> {
  await failIfServerError(faults);
  let delivered = 0;
  await afterEvents(0, faults, signal);
  for await (const event of events) {
    yield event;
    await afterEvents(++delivered, faults, signal);
  }
}

/**
 * What the faults aimed at a call do to a response that comes whole (a non-streamed call): a server error, or
 * a cut (its body broke off), fails it; a stall delays it.
 */
export async function faultedResponse(faults: readonly Fault[], signal: AbortSignal | undefined): Promise<void> {
  await failIfServerError(faults);
  for (const fault of faults) {
    if (fault.kind === 'stall') await stall(fault.ms, signal);
    if (fault.kind === 'streamCut') throw streamCutError();
  }
}

async function failIfServerError(faults: readonly Fault[]): Promise<void> {
  const error = faults.find((fault) => fault.kind === 'serverError');
  if (error) throw await serverError(error.status, error.message);
}

async function afterEvents(delivered: number, faults: readonly Fault[], signal: AbortSignal | undefined): Promise<void> {
  for (const fault of faults) {
    if (fault.kind === 'serverError' || fault.afterEvent !== delivered) continue;
    if (fault.kind === 'stall') await stall(fault.ms, signal);
    else throw streamCutError();
  }
}

/** Waits as a read of a stalled response does: until data comes, or until the signal aborts it, with its reason (as `fetch` rejects). */
async function stall(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(ms, undefined, signal ? { signal } : {});
  } catch (error) {
    throw signal?.aborted ? signal.reason : error;
  }
}
