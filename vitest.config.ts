import { defineConfig } from 'vitest/config';
import { OTHER_SUPPORTED_SDK_VERSIONS, sdkAliases } from './test/support/sdkVersions.js';

/**
 * Tests that start process swarms, kill recorders, fill disks or install the packed project: one file at a time
 * (each holds test/support/oneHeavyFileAtATime.ts's lock), after the others, beside the README's commands.
 */
const HEAVY = [
  'test/reliability/concurrency.test.ts',
  'test/reliability/crash.test.ts',
  'test/reliability/storeFailure.test.ts',
  'test/reliability/packedInstall.test.ts',
  'test/reliability/liveness.test.ts',
  'test/reliability/bigImport.test.ts',
  'test/reliability/databaseStates.test.ts',
];

/**
 * The README's commands in a clone of their own: long, but mostly waiting (paced replays, the inspector in tmux;
 * about 40 s of CPU in 95 s), so they run beside the heavy files, whose lock keeps the other worker waiting
 * anyway (projects of one group start in the order of their names: `clone` first).
 */
const CLONE = ['test/reliability/readmeCommands.test.ts'];

/**
 * Files that point the SDK's default OpenAI client at a server of their own (setDefaultOpenAIClient): the SDK's
 * default model provider keeps the first client it resolves for the rest of its process, so these cannot share
 * a worker with files that ran an agent through that provider before them. Each runs in a process of its own.
 */
const OWN_DEFAULT_CLIENT = ['test/rerun/rerunOffline.test.ts', 'test/rerun/fixtures.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/globalSetup.ts'],
    // Most tests wait on processes they start (the CLI, tmux, recorders): two workers keep both cores busy
    // (vitest's default on a 2-core machine is one).
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tracing would try to export to the network; the tests are offline.
    env: { OPENAI_AGENTS_DISABLE_TRACING: '1' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...HEAVY, ...CLONE, ...OWN_DEFAULT_CLIENT],
          // A worker runs file after file in one process, loading src/ and the SDK once rather than per file:
          // that loading was about a third of these files' CPU. So a file leaves no global state behind
          // (stubbed env, spies, SDK settings such as trace processors): it restores what it changes.
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'own default client', include: OWN_DEFAULT_CLIENT, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'clone', include: CLONE, sequence: { groupOrder: 1 } },
      },
      {
        extends: true,
        test: { name: 'heavy', include: HEAVY, setupFiles: ['test/support/oneHeavyFileAtATime.ts'], sequence: { groupOrder: 1 } },
      },
      // The differential suite (SDK Runner vs RecordingRunner) on every other supported SDK version.
      ...OTHER_SUPPORTED_SDK_VERSIONS.map((version) => ({
        extends: true,
        resolve: { alias: sdkAliases(version) },
        test: {
          name: `sdk ${version}`,
          include: ['test/differential/**/*.test.ts'],
          globalSetup: ['test/sdkVersionsSetup.ts'],
          env: { OPENAI_AGENTS_DISABLE_TRACING: '1', RUNTAPE_SDK_UNDER_TEST: version },
          // As the unit project (vitest shares a worker only between files of one project, so each version's
          // modules stay its own).
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      })),
    ],
  },
});
