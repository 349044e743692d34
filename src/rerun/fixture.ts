import type { Agent, RunConfig } from '@openai/agents';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { RuntapeError } from '../errors.js';
import { sanitizeLine } from '../events/sanitize.js';
import { recordedRunId, recordingStored } from '../recorder/record.js';
import { RecordingRunner } from '../recorder/recordingRunner.js';
import type { RedactOptions } from '../redaction/options.js';
import type { RunStore } from '../store/runStore.js';
import { readFixture, writeFixture } from './fixtureFile.js';
import { fixtureStore } from './fixtureStore.js';
import type { RerunMatchOptions } from './rerunSession.js';

/**
 * `record`: the test's runs go to its models and are written to the fixture. `replay`: every model call is
 * answered from the fixture (a re-run), nothing reaches a model. `auto`: replay when the fixture exists,
 * else record.
 */
export type FixtureMode = 'record' | 'replay' | 'auto';
const MODES: readonly FixtureMode[] = ['record', 'replay', 'auto'];

/** Sets the mode of every fixture that does not set its own (to record them all again, say). */
export const FIXTURE_MODE_ENV = 'RUNTAPE_FIXTURES';

/**
 * The test a fixture belongs to: its name, or its context as the test runner gives it (node:test's `t`, with
 * its `fullName` where Node has one). Under vitest: `expect.getState().currentTestName`.
 */
export type FixtureTest = string | { name: string; fullName?: string };

export interface FixtureOptions extends Pick<RerunMatchOptions, 'match' | 'ignore' | 'normalize' | 'pace'> {
  /** The folder of fixture files, which the application commits; default `runtape-fixtures` in the working directory. */
  dir?: string;
  /** Default: RUNTAPE_FIXTURES, else `replay` when CI=true (a missing fixture fails there), else `auto`. */
  mode?: FixtureMode;
  /** What is masked before the fixture is written, as for a RecordingRunner (the built-in secrets always are). */
  redact?: RedactOptions;
}

export const DEFAULT_FIXTURE_DIR = 'runtape-fixtures';

/**
 * A test's recorded runs: `runner()` gives a RecordingRunner for each run of the test, in order. Recording,
 * its runs go to the application's models and `close()` writes them to the fixture; replaying, each is a
 * re-run of the fixture's run of the same number, matched as asked (`strict` by default: a request unlike
 * the recorded one fails the run with a DivergenceError).
 */
export class Fixture {
  readonly #results: object[] = [];
  #runs = 0;
  #closed = false;

  constructor(
    /** The fixture file's path. */
    readonly file: string,
    /** What this fixture does: `auto` has been decided. */
    readonly mode: 'record' | 'replay',
    readonly testName: string,
    readonly options: FixtureOptions,
    readonly store: RunStore,
    /** Replaying: the fixture's runs, in order. */
    readonly recorded: readonly string[],
  ) {}

  /** A runner for the test's next run (one run each). */
  runner(config: Partial<RunConfig> = {}): RecordingRunner {
    if (this.#closed) throw new RuntapeError(`fixture ${this.#shown()} is closed`);
    const number = ++this.#runs;
    const common = { db: this.store, name: this.testName, ...(this.options.redact ? { redact: this.options.redact } : {}) };
    if (this.mode === 'record') return new FixtureRunner(config, common, this.#results);
    const run = this.recorded[number - 1];
    if (run === undefined) {
      throw new RuntapeError(`fixture ${this.#shown()} holds ${this.recorded.length} run(s); this test's run ${number} is not in it: record it again (mode 'record')`);
    }
    const { match, ignore, normalize, pace } = this.options;
    const rerun = { run, db: this.store, ...(match ? { match } : {}), ...(ignore ? { ignore } : {}), ...(normalize ? { normalize } : {}), ...(pace !== undefined ? { pace } : {}) };
    return new FixtureRunner(config, { ...common, rerun }, this.#results);
  }

  /**
   * Ends the fixture's use. Recording, it waits for the runs' recordings and writes them to the file (one
   * test's runs replace the fixture's whole); a test that made no run writes nothing.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.mode !== 'record' || this.#results.length === 0) return;
    await Promise.all(this.#results.map((result) => recordingStored(result)));
    await writeFixture(this.file, this.store, this.#results.map((result) => recordedRunId(result)!));
  }

  #shown(): string {
    return relative(process.cwd(), this.file) || this.file;
  }
}

/**
 * A RecordingRunner that tells its fixture about its run. One run each: replaying, a runner re-runs one
 * recorded run, so each run of a test asks the fixture for its own runner.
 */
class FixtureRunner extends RecordingRunner {
  #used = false;

  constructor(
    config: Partial<RunConfig>,
    options: ConstructorParameters<typeof RecordingRunner>[1],
    readonly results: object[],
  ) {
    super(config, options);
  }

  // The SDK's overloads pass through untouched: the fixture hands this runner out typed as a RecordingRunner.
  override async run(agent: Agent<any, any>, input: any, options?: any): Promise<any> {
    if (this.#used) throw new RuntapeError("a fixture's runner runs one run: ask the fixture for a runner for each run");
    this.#used = true;
    const result = await super.run(agent, input, options);
    this.results.push(result);
    return result;
  }
}

/**
 * Opens the fixture of a test: `await openFixture(t)` under node:test, `await openFixture(expect.getState()
 * .currentTestName!)` under vitest. Its file is `<dir>/<the test's name as a file name>-<hash>.jsonl`.
 * Replaying, a missing fixture fails here, in one line naming the file.
 */
export async function openFixture(test: FixtureTest, options: FixtureOptions = {}): Promise<Fixture> {
  const testName = typeof test === 'string' ? test : (test.fullName ?? test.name);
  const file = fixtureFile(options.dir ?? DEFAULT_FIXTURE_DIR, testName);
  const asked = options.mode ?? defaultMode();
  const mode = asked === 'auto' ? (existsSync(file) ? 'replay' : 'record') : asked;
  if (mode === 'replay' && !existsSync(file)) {
    const why = options.mode ? "mode 'replay'" : process.env[FIXTURE_MODE_ENV] ? `${FIXTURE_MODE_ENV}=replay` : 'CI=true replays';
    throw new RuntapeError(
      `no fixture ${relative(process.cwd(), file) || file} for test "${sanitizeLine(testName)}" (${why}): record it with mode 'record' or ${FIXTURE_MODE_ENV}=record`,
    );
  }
  const store = await fixtureStore();
  const recorded = mode === 'replay' ? await readFixture(file, store) : [];
  return new Fixture(file, mode, testName, options, store, recorded);
}

/** RUNTAPE_FIXTURES when set; under CI (`CI=true`), `replay`: a fixture a test lacks is an error there, never a live call. */
function defaultMode(): FixtureMode {
  const env = process.env[FIXTURE_MODE_ENV];
  if (env) {
    const mode = MODES.find((m) => m === env);
    if (!mode) throw new RuntapeError(`${FIXTURE_MODE_ENV} must be record, replay or auto, not "${sanitizeLine(env)}"`);
    return mode;
  }
  return process.env.CI === 'true' ? 'replay' : 'auto';
}

/**
 * The test's name as a file name a person recognizes, with a short hash of the whole name: two names that
 * read alike as file names ("a/b", "a b") still get their own fixture.
 */
export function fixtureFile(dir: string, testName: string): string {
  const readable =
    testName
      .replace(/[^A-Za-z0-9]+/g, '-')
      .slice(0, 80)
      .replace(/^-+|-+$/g, '')
      .toLowerCase() || 'test';
  const hash = createHash('sha256').update(testName).digest('hex').slice(0, 8);
  return resolve(join(dir, `${readable}-${hash}.jsonl`));
}
