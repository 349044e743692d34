/**
 * `runtape/testing`: fixtures for test suites. A test's runs are recorded once into a JSONL file the
 * application commits, then re-run from it (offline, deterministic, matched call by call) on every run of
 * the suite.
 */
export { openFixture, fixtureFile, Fixture, FIXTURE_MODE_ENV, DEFAULT_FIXTURE_DIR, type FixtureMode, type FixtureOptions, type FixtureTest } from './fixtures/fixture.js';
export { DivergenceError, rerunDivergences, type Difference } from './rerun/index.js';
