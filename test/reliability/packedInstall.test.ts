/**
 * runtape as an application installs it: `npm pack`ed, installed into an application on the oldest and one on
 * the newest supported @openai/agents, whose own `openai` client (setDefaultOpenAIClient, pointing at the local
 * fake Responses API) the recorded run must go through. One SDK instance in the application, none nested under runtape.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeResponsesServer } from '../support/fakeResponsesServer.js';
import { OTHER_SUPPORTED_SDK_VERSIONS } from '../support/sdkVersions.js';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const devPackage = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
const OLDEST = OTHER_SUPPORTED_SDK_VERSIONS[0];
const NEWEST = devPackage.devDependencies['@openai/agents']!;
const OPENAI_RANGE = devPackage.devDependencies.openai!;

// Offline where npm's cache has it (the registry is asked only for what it lacks); no audit, no install scripts:
// better-sqlite3 is not compiled per application, this checkout's built addon stands in (see installRuntape).
const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'];
const npmEnv = { ...process.env, npm_config_update_notifier: 'false' };

/**
 * An application with the SDK and `openai` installed, once per version (kept between local runs under
 * node_modules/.cache, as test/sdkVersionsSetup.ts keeps the SDK versions); each test run copies it.
 */
async function applicationBase(version: string): Promise<string> {
  const dir = join(REPO, 'node_modules/.cache/runtape-packed-apps', version);
  if (existsSync(join(dir, 'node_modules/@openai/agents/package.json'))) return dir;
  // Installed beside it, then renamed: a half-installed base is never taken for a finished one.
  const staging = `${dir}.${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const manifest = { name: `app-sdk-${version}`, private: true, type: 'module', dependencies: { '@openai/agents': version, openai: OPENAI_RANGE } };
  writeFileSync(join(staging, 'package.json'), JSON.stringify(manifest, null, 2));
  await run('npm', ['install', ...NPM_FLAGS], { cwd: staging, env: npmEnv });
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  return dir;
}

/** A copy of the base application with the packed runtape installed into it, as `npm install runtape-x.tgz` would. */
async function installRuntape(version: string, tarball: string, home: string): Promise<string> {
  const app = join(home, `app-${version}`);
  cpSync(await applicationBase(version), app, { recursive: true, verbatimSymlinks: true });
  // The addon this checkout built stands in for compiling better-sqlite3 again: the application gets the same
  // release (an override), then that package, linked.
  const ownSqlite = realpathSync(join(REPO, 'node_modules/better-sqlite3'));
  const ownVersion = (JSON.parse(readFileSync(join(ownSqlite, 'package.json'), 'utf8')) as { version: string }).version;
  const manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(app, 'package.json'), JSON.stringify({ ...manifest, overrides: { 'better-sqlite3': ownVersion } }, null, 2));
  await run('npm', ['install', ...NPM_FLAGS, tarball], { cwd: app, env: npmEnv });
  const appSqlite = join(app, 'node_modules/better-sqlite3');
  expect((JSON.parse(readFileSync(join(appSqlite, 'package.json'), 'utf8')) as { version: string }).version).toBe(ownVersion);
  rmSync(appSqlite, { recursive: true });
  symlinkSync(ownSqlite, appSqlite);
  return app;
}

/** The application's code: its own client for the SDK, then a recorded streamed run. */
const APPLICATION = `
import { Agent, setDefaultOpenAIClient } from '@openai/agents';
import OpenAI from 'openai';
import { RecordingRunner, recordedRunId, recordingStored } from 'runtape';
import { openFixture } from 'runtape/testing';

setDefaultOpenAIClient(new OpenAI({ baseURL: process.env.FAKE_OPENAI_URL, apiKey: 'fake-key', maxRetries: 0 }));
const agent = new Agent({ name: 'Packed Agent', instructions: 'Be brief.', model: 'gpt-4.1-mini' });
const runner = new RecordingRunner({ tracingDisabled: true }, { name: 'installed from the tarball' });
const result = await runner.run(agent, 'Hello!', { stream: true });
for await (const event of result) void event;
await result.completed;
await recordingStored(result);

// runtape/testing: a test's fixture recorded through the same client, then replayed from the file alone.
const play = async (mode) => {
  const fixture = await openFixture('packed app test', { dir: 'fixtures', mode });
  const run = await fixture.runner({ tracingDisabled: true }).run(agent, 'Hello again!', { stream: true });
  for await (const event of run) void event;
  await run.completed;
  await fixture.close();
  return run.finalOutput;
};
const fixtureOutputs = [await play('record'), await play('replay')];
console.log(JSON.stringify({ runId: recordedRunId(result), finalOutput: result.finalOutput, fixtureOutputs }));
`;

let home: string;
let tarball: string;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'runtape-packed-'));
  // dist/ is built by the global setup; the declaration files (prepack) play no part at run time.
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--pack-destination', home, '--loglevel=error'], { cwd: REPO, env: npmEnv });
  tarball = join(home, stdout.trim().split('\n').at(-1)!);
}, 120_000);

afterAll(() => {
  // Two applications' node_modules: slow to delete on a busy machine.
  rmSync(home, { recursive: true, force: true });
}, 120_000);

// The two applications install side by side (npm mostly waits on the disk and the registry).
describe.concurrent('the packed package installed into an application', () => {
  // The test's own context: the global hooks cannot tell which of two concurrent tests they belong to.
  it.for([OLDEST, NEWEST])('records through the application\'s own client on @openai/agents %s, with one SDK instance', { timeout: 180_000 }, async (version, { expect, onTestFinished }) => {
    const app = await installRuntape(version, tarball, home);

    // One @openai/agents in the whole tree: the application's, which runtape's peer dependency resolves to.
    const { stdout: instances } = await run('npm', ['ls', '@openai/agents', '--parseable', '--all'], { cwd: app, env: npmEnv });
    expect(instances.trim().split('\n').map((path) => realpathSync(path))).toEqual([realpathSync(join(app, 'node_modules/@openai/agents'))]);
    const sdk = JSON.parse(readFileSync(join(app, 'node_modules/@openai/agents/package.json'), 'utf8')) as { version: string };
    expect(sdk.version).toBe(version);

    const server = await startFakeResponsesServer([
      { kind: 'text', deltas: ['Recorded ', 'through ', 'your client.'] },
      { kind: 'text', deltas: ['Kept ', 'in a fixture.'] },
    ]);
    onTestFinished(() => server.close());
    writeFileSync(join(app, 'app.mjs'), APPLICATION);
    // No OPENAI_API_KEY: only the application's client, pointed at the fake server, can answer.
    const env: NodeJS.ProcessEnv = { ...process.env, FAKE_OPENAI_URL: server.url, OPENAI_AGENTS_DISABLE_TRACING: '1' };
    delete env.OPENAI_API_KEY;
    delete env.RUNTAPE_DB;
    const { stdout } = await run(process.execPath, ['app.mjs'], { cwd: app, env });
    const { runId, finalOutput, fixtureOutputs } = JSON.parse(stdout) as { runId: string; finalOutput: string; fixtureOutputs: string[] };
    expect(finalOutput).toBe('Recorded through your client.');
    // The fixture's replay asked nothing of the server: two requests, the run and the fixture's recording.
    expect(fixtureOutputs).toEqual(['Kept in a fixture.', 'Kept in a fixture.']);
    expect(server.requests).toHaveLength(2);
    expect(readdirSync(join(app, 'fixtures'))).toEqual([expect.stringMatching(/^packed-app-test-[0-9a-f]{8}\.jsonl$/)]);

    // The application's own runtape command finds the run in the default database.
    const { stdout: listed } = await run('npx', ['--no-install', 'runtape', 'ls', '--json'], { cwd: app, env: { ...env, ...npmEnv } });
    expect(JSON.parse(listed)).toMatchObject([{ id: runId, name: 'installed from the tarball', status: 'completed', finalOutput: 'Recorded through your client.', sdkVersion: version }]);
  });
});
