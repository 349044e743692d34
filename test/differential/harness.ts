import {
  Runner,
  StreamedRunResult,
  run,
  type Agent,
  type RunConfig,
  type RunStreamEvent,
  type StreamRunOptions,
} from '@openai/agents';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { describeStreamEvent, STARTING_AGENT } from '../../src/events/describe.js';
import { record, recordedRunId, recordingStored } from '../../src/recorder/record.js';
import { RecordingRunner } from '../../src/recorder/recordingRunner.js';
import { openStore } from '../../src/store/openStore.js';
import { allEvents } from '../support/sqlite.js';
import type { StoredEvent } from '../../src/store/types.js';
import { useSharedTempDir } from '../support/tempDb.js';
import { sleep } from './turns.js';

/**
 * The differential harness: one scenario is application code run against a runner kind; what that code can
 * observe of the run is written down as an Observation, and a recording runner must produce the Observation
 * the SDK's own Runner produces, field for field.
 */
export type RunnerKind = 'sdk' | 'recording' | 'record';
const RECORDING_KINDS = ['recording', 'record'] as const;

type AnyAgent = Agent<any, any>;
type AnyResult = StreamedRunResult<any, any>;
type RunInput = Parameters<Runner['run']>[1];
type StartOptions = Omit<StreamRunOptions<any, any>, 'stream'>;

/** How a run ended, in the recorder's vocabulary. */
export type Outcome = 'completed' | 'error' | 'cancelled' | 'interrupted';

/** Everything the application could see of one result once the scenario is over. */
export interface RunSnapshot {
  outcome: Outcome;
  cancelled: boolean;
  error: string | null;
  finalOutput: unknown;
  currentAgent: string;
  lastAgent: string;
  activeAgent: string;
  currentTurn: number;
  input: unknown;
  usage: unknown;
  history: unknown;
  output: unknown;
  newItems: unknown;
  interruptions: unknown;
  rawResponses: unknown;
  lastResponseId: unknown;
  inputGuardrails: unknown;
  outputGuardrails: unknown;
  state: unknown;
  /** What reading it again shows: the stream's lock, a second loop, a text stream. */
  afterwards: unknown;
  /** `instanceof`, the constructor, and the SDK's own prototype getters called on the object. */
  identity: unknown;
}

export interface Observation {
  /** In order: each event the application saw, its loops' ends and errors, when `completed` settled, its own notes. */
  log: string[];
  runs: RunSnapshot[];
  /** What the SDK told the console meanwhile (it warns, for one, when finalOutput is read before the end). */
  console: string[];
}

/** What a scenario's application code has at hand: the runner of the kind under test, and a notebook. */
export class App {
  readonly log: string[] = [];
  readonly #agents: AnyAgent[] = [];
  readonly #results: AnyResult[] = [];
  readonly #seen = new Map<AnyResult, RunStreamEvent[]>();
  readonly #snapshots = new Map<AnyResult, RunSnapshot>();
  /** Results read through toTextStream or a reader of their own: the harness did not see all they delivered. */
  readonly #readDirectly = new Set<AnyResult>();

  readonly #db: string;

  constructor(
    readonly kind: RunnerKind,
    db: string,
  ) {
    this.#db = db;
  }

  /** The agents of this scenario: an agent the results name is reported by name and by which object it is. */
  agents<T extends AnyAgent[]>(...agents: T): T {
    this.#agents.push(...agents);
    return agents;
  }

  note(text: string): void {
    this.log.push(text);
  }

  /** Starts a streamed run the way this runner kind does; watches when its `completed` settles. */
  async start(agent: AnyAgent, input: RunInput, options: StartOptions = {}, config?: Partial<RunConfig>): Promise<AnyResult> {
    const label = `run ${this.#results.length}`;
    const streamed = { ...options, stream: true } as const;
    let result: AnyResult;
    if (this.kind === 'recording') {
      result = await new RecordingRunner(config ?? {}, { db: this.#db }).run(agent, input, streamed);
    } else {
      // `run()` is the SDK's own default runner; a RunConfig needs a Runner of its own.
      const sdkResult = config ? await new Runner(config).run(agent, input, streamed) : await run(agent, input, streamed);
      result = this.kind === 'record' ? record(sdkResult, { startingAgent: agent, db: this.#db }) : sdkResult;
    }
    this.#results.push(result);
    this.#seen.set(result, []);
    result.completed.then(
      () => this.log.push(`${label}: completed resolved`),
      (error: unknown) => this.log.push(`${label}: completed rejected ${errorText(error)}`),
    );
    return result;
  }

  /**
   * A `for await` loop over the result. `onEvent` is the application's work per event (it may sleep, abort,
   * or say 'break'); every event, the loop's end, a break, or what it threw goes to the log.
   */
  async read(result: AnyResult, onEvent: (event: RunStreamEvent, index: number) => unknown = () => {}): Promise<void> {
    let index = 0;
    try {
      for await (const event of result) {
        this.#saw(result, event);
        if ((await onEvent(event, index++)) === 'break') {
          this.log.push('loop: break');
          return;
        }
      }
      this.log.push('loop: ended');
    } catch (error) {
      this.log.push(`loop: threw ${errorText(error)}`);
    }
  }

  /** A loop that takes `ms` of real time per event: an application slower than the model. */
  readSlowly(result: AnyResult, ms: number, onEvent: (event: RunStreamEvent, index: number) => unknown = () => {}): Promise<void> {
    return this.read(result, async (event, index) => {
      await sleep(ms);
      return onEvent(event, index);
    });
  }

  /** Reads `toTextStream()` (or its Node stream) to its end; the text, or what it threw, goes to the log. */
  async readText(result: AnyResult, options: TextStreamOptions = {}): Promise<void> {
    this.#readDirectly.add(result);
    this.log.push(`text: ${await textOf(result, options)}`);
  }

  /** `result.toStream()`, for an application that reads it by hand: what it reads is its own to log. */
  stream(result: AnyResult): ReadableStream<RunStreamEvent> {
    this.#readDirectly.add(result);
    return result.toStream() as unknown as ReadableStream<RunStreamEvent>;
  }

  /** The application awaits `completed`; how it settled goes to the log. */
  async awaitCompleted(result: AnyResult): Promise<void> {
    try {
      await result.completed;
      this.log.push('await completed: resolved');
    } catch (error) {
      this.log.push(`await completed: rejected ${errorText(error)}`);
    }
  }

  /**
   * What the result shows now that its run has settled. A scenario calls this before it resumes a run: the
   * resumed run goes on with the same RunState object. Any result not looked at by then is, once the scenario is over.
   */
  async snapshot(result: AnyResult): Promise<void> {
    await result.completed.catch(() => {});
    if (!this.#snapshots.has(result)) this.#snapshots.set(result, await this.#snapshot(result));
  }

  async observe(): Promise<Omit<Observation, 'console'>> {
    for (const result of this.#results) await this.snapshot(result);
    return { log: this.log, runs: this.#results.map((result) => this.#snapshots.get(result)!) };
  }

  /** The results this scenario started, with the events the harness saw delivered of each. */
  results(): { result: AnyResult; seen: RunStreamEvent[]; seenAll: boolean }[] {
    return this.#results.map((result) => ({ result, seen: this.#seen.get(result)!, seenAll: !this.#readDirectly.has(result) }));
  }

  #saw(result: AnyResult, event: RunStreamEvent): void {
    this.#seen.get(result)?.push(event);
    this.log.push(this.#describeEvent(event));
  }

  #describeEvent(event: RunStreamEvent): string {
    const { level, name } = describeStreamEvent(event);
    // The agent an agent_updated event names, or the agent a run item belongs to.
    const owner = event.type === 'agent_updated_stream_event' ? event.agent : event.type === 'run_item_stream_event' ? ('agent' in event.item ? event.item.agent : event.item.sourceAgent) : undefined;
    const agent = owner ? ` @${this.#agentRef(owner)}` : '';
    return `${level} ${name}${agent}`;
  }

  /** An agent by name, and by which of the scenario's objects it is: `Triage#0`, or `Triage#?` for a copy. */
  #agentRef(agent: AnyAgent | undefined): string {
    if (!agent) return '-';
    const index = this.#agents.indexOf(agent);
    return `${agent.name}#${index < 0 ? '?' : index}`;
  }

  async #snapshot(result: AnyResult): Promise<RunSnapshot> {
    const interruptions = result.interruptions;
    const outcome: Outcome = result.cancelled ? 'cancelled' : result.error ? 'error' : interruptions.length > 0 ? 'interrupted' : 'completed';
    return {
      outcome,
      cancelled: result.cancelled,
      error: result.error ? errorText(result.error) : null,
      // An interrupted run hides its final output (the SDK warns when it is read); so does a cancelled one.
      finalOutput: plain(result.finalOutput),
      currentAgent: this.#agentRef(result.currentAgent),
      lastAgent: this.#agentRef(result.lastAgent),
      activeAgent: this.#agentRef(result.activeAgent),
      currentTurn: result.currentTurn,
      input: plain(result.input),
      usage: plain(result.runContext.usage),
      history: plain(result.history),
      output: plain(result.output),
      newItems: plain(result.newItems.map((item) => item.toJSON())),
      interruptions: plain(interruptions.map((item) => item.toJSON())),
      rawResponses: plain(result.rawResponses),
      lastResponseId: plain(result.lastResponseId),
      inputGuardrails: plain(result.inputGuardrailResults.map((r) => ({ name: r.guardrail.name, output: r.output }))),
      outputGuardrails: plain(result.outputGuardrailResults.map((r) => ({ name: r.guardrail.name, output: r.output }))),
      state: JSON.parse(result.state.toString()),
      afterwards: await this.#readAgain(result),
      identity: identityOf(result),
    };
  }

  /** After the application is done with it: is the stream locked, what does a second loop yield, a text stream? */
  async #readAgain(result: AnyResult): Promise<unknown> {
    const lockedBefore = lockOf(result);
    const secondLoop = await bounded(async () => {
      const events: string[] = [];
      try {
        for await (const event of result) {
          this.#seen.get(result)?.push(event);
          events.push(this.#describeEvent(event));
        }
        return { events };
      } catch (error) {
        return { events, threw: errorText(error) };
      }
    });
    return { lockedBefore, secondLoop, lockedAfter: lockOf(result), text: await bounded(() => textOf(result)) };
  }
}

/** `result.toStream().locked`, or what asking for it threw. */
function lockOf(result: AnyResult): unknown {
  try {
    return (result.toStream() as unknown as ReadableStream).locked;
  } catch (error) {
    return `threw ${errorText(error)}`;
  }
}

type TextStreamOptions = { compatibleWithNodeStreams?: boolean };

async function textOf(result: AnyResult, options: TextStreamOptions = {}): Promise<string> {
  let text = '';
  try {
    const stream = options.compatibleWithNodeStreams ? result.toTextStream({ compatibleWithNodeStreams: true }) : result.toTextStream();
    for await (const chunk of stream as unknown as AsyncIterable<string | Buffer>) text += `[${String(chunk)}]`;
    return text;
  } catch (error) {
    return `${text} threw ${errorText(error)}`;
  }
}

/** A read that never ends is a finding, not a hung test: it is reported as such after 2 s. */
async function bounded<T>(read: () => Promise<T>): Promise<T | 'never settled'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'never settled'>((resolve) => (timer = setTimeout(() => resolve('never settled'), 2000)));
  try {
    return await Promise.race([read(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The object the application holds, as the SDK's own class sees it. */
function identityOf(result: AnyResult): unknown {
  const getters: Record<string, unknown> = {};
  for (let proto = StreamedRunResult.prototype; proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(proto))) {
      if (!descriptor.get || name in getters) continue;
      try {
        const value = descriptor.get.call(result);
        // The property read through the object must be the very value the SDK's getter returns.
        const property: unknown = (result as any)[name];
        // Getters that build a fresh array each call are compared by content; everything else by identity.
        const same = Object.is(value, property) || (Array.isArray(value) && JSON.stringify(value) === JSON.stringify(property));
        // The value itself is in the snapshot already, read as a property: only a difference is worth showing.
        getters[name] = same ? 'same as the property' : { differsFromProperty: value instanceof Promise ? 'a Promise' : plain(value) };
      } catch (error) {
        getters[name] = `threw ${errorText(error)}`;
      }
    }
  }
  return {
    instanceofStreamedRunResult: result instanceof StreamedRunResult,
    constructorIsStreamedRunResult: result.constructor === StreamedRunResult,
    constructorName: result.constructor.name,
    prototypeIsStreamedRunResult: Object.getPrototypeOf(result) === StreamedRunResult.prototype,
    getters,
  };
}

function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.constructor.name}: ${error.message}`;
  return `non-error ${String(error)}`;
}

/** A value as JSON would carry it (agents as their names via the SDK's toJSON); undefined stays visible. */
function plain(value: unknown): unknown {
  if (value === undefined) return '<undefined>';
  return JSON.parse(JSON.stringify(value, (_key, v) => (v instanceof Error ? errorText(v) : v === undefined ? '<undefined>' : v)));
}

export interface Scenario {
  name: string;
  /** The application code, with freshly built agents and models. */
  play(app: App): Promise<void>;
  /**
   * What the SDK does here, checked on its own observation: keeps the scenario meaningful (an abort that
   * comes after the run ended would compare nothing interesting).
   */
  premise?(sdk: Observation): void;
  /** Extra checks on a recording's stored events (run by run), beyond the harness's own. */
  recorded?(stored: StoredEvent[][]): void;
}

/** Runs one scenario under one runner kind. */
async function observe(scenario: Scenario, kind: RunnerKind, db: string): Promise<{ observation: Observation; app: App }> {
  const app = new App(kind, db);
  const printed: string[] = [];
  const warn = vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void printed.push(`warn: ${args.map(String).join(' ')}`));
  const error = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void printed.push(`error: ${args.map(String).join(' ')}`));
  try {
    await scenario.play(app);
    return { observation: { ...(await app.observe()), console: printed }, app };
  } finally {
    warn.mockRestore();
    error.mockRestore();
  }
}

/**
 * Declares the tests of these scenarios: under the SDK twice (the scenario is deterministic and its premise
 * holds), then under each recording kind (the same observation, and a sane recording).
 */
export function differential(scenarios: Scenario[]): void {
  const tempDir = useSharedTempDir();
  const dbPath = () => join(tempDir(), 'differential.db');
  for (const scenario of scenarios) {
    describe(scenario.name, () => {
      let sdk: Promise<Observation> | undefined;
      const sdkObservation = () => (sdk ??= observe(scenario, 'sdk', dbPath()).then((o) => o.observation));

      it('sdk: two runs agree and the premise holds', async () => {
        const first = await sdkObservation();
        const second = (await observe(scenario, 'sdk', dbPath())).observation;
        expect(second).toEqual(first);
        scenario.premise?.(first);
      });

      it.each(RECORDING_KINDS)('%s: the application sees what it sees under the sdk, and the run is recorded', async (kind) => {
        const expected = await sdkObservation();
        const { observation, app } = await observe(scenario, kind, dbPath());
        expect(observation).toEqual(expected);
        await expectRecorded(app, expected, dbPath(), scenario);
      });
    });
  }
}

/**
 * The recording of each run: stored, with the status of what happened (under the SDK), and its events
 * begin with every event the application saw, in order (it may hold more: events the SDK produced and the
 * application never read).
 */
async function expectRecorded(app: App, expected: Observation, db: string, scenario: Scenario): Promise<void> {
  const store = await openStore(db);
  try {
    const storedRuns: StoredEvent[][] = [];
    for (const [i, { result, seen, seenAll }] of app.results().entries()) {
      const runId = recordedRunId(result);
      expect(runId, `run ${i} has a recording id`).toBeDefined();
      await recordingStored(result);
      // The recorder may write a run's end after the application is done with it (a break is known only then).
      // The wait ends as soon as the status is there; its bound only matters on a machine that is very busy.
      await expect.poll(async () => (await store.getRun(runId!))?.status, { message: `run ${i}'s recorded status`, timeout: 20_000 }).toBe(expected.runs[i]!.outcome);
      const stored = await allEvents(store, runId!);
      expect(stored.map((e) => e.seq)).toEqual(stored.map((_, seq) => seq));
      expect(stored[0]).toMatchObject({ level: 'agent', name: STARTING_AGENT });
      const recordedNames = stored.slice(1).map((e) => `${e.level} ${e.name}`);
      const seenNames = seen.map((event) => {
        const { level, name } = describeStreamEvent(event);
        return `${level} ${name}`;
      });
      expect(recordedNames.slice(0, seenNames.length), `run ${i}: the recording begins with what the application saw`).toEqual(seenNames);
      // A run that neither failed nor was cancelled has no unread events left once its stream is read again.
      if (seenAll && (expected.runs[i]!.outcome === 'completed' || expected.runs[i]!.outcome === 'interrupted')) {
        expect(recordedNames, `run ${i}: the recording holds exactly what the application saw`).toEqual(seenNames);
      }
      storedRuns.push(stored);
    }
    scenario.recorded?.(storedRuns);
  } finally {
    await store.close();
  }
}
