/**
 * A `--db` that names something other than a regular file is refused at once, before SQLite opens it:
 * SQLite blocks forever opening a FIFO, and puts its journal beside a device.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOneLineError, runCli, runCliAll } from '../support/cli.js';
import { useSharedTempDir } from '../support/tempDb.js';

const sharedDir = useSharedTempDir();
const AGENT_MODULE = fileURLToPath(new URL('../fixtures/scriptedAgent.ts', import.meta.url));

let dir: string;
let exportFile: string;
let socketServer: Server;
const places: Record<string, string> = {};
const kinds: Record<string, string> = { fifo: 'a FIFO', device: 'a device', directory: 'a directory', socket: 'a socket' };

beforeAll(async () => {
  dir = sharedDir();
  const db = join(dir, 'source.db');
  expect(runCli(['demo', '--pace', '0', '--quiet', '--scenario', 'latency-regression'], { db }).status).toBe(0);
  exportFile = join(dir, 'run.jsonl');
  expect(runCli(['export', 'last', '-o', exportFile], { db }).status).toBe(0);

  const odd = join(dir, 'odd');
  mkdirSync(odd);
  places.fifo = join(odd, 'fifo.db');
  execFileSync('mkfifo', [places.fifo]);
  // As root, a private copy of /dev/null: the real one must not get a -journal beside it if this test fails.
  places.device = process.getuid?.() === 0 ? join(odd, 'null') : '/dev/null';
  if (process.getuid?.() === 0) execFileSync('mknod', [places.device, 'c', '1', '3']);
  places.directory = join(odd, 'directory.db');
  mkdirSync(places.directory);
  places.socket = join(odd, 'socket.db');
  socketServer = createServer();
  await new Promise<void>((resolve) => socketServer.listen(places.socket, resolve));
});
afterAll(() => new Promise<void>((resolve) => (socketServer ? socketServer.close(() => resolve()) : resolve())));

const commands: string[][] = [['ls'], ['show', 'last'], ['handoffs', 'last'], ['replay', 'last', '--speed', 'instant'], ['export', 'last'], ['rm', 'last'], ['import', '<export>'], ['demo', '--pace', '0', '--quiet'], ['record', AGENT_MODULE, 'hi']];

describe('--db that is not a regular file', () => {
  for (const kind of Object.keys(kinds)) {
    it(`refuses ${kinds[kind]} in every command, at once, leaving nothing beside it`, async () => {
      const before = readdirSync(join(dir, 'odd')).sort();
      const args = commands.map((command) => command.map((a) => (a === '<export>' ? exportFile : a)));
      for (const out of await runCliAll(args, { db: places[kind], timeoutMs: 15_000 })) {
        expectOneLineError(out, new RegExp(`${places[kind]!.replace(/[/.]/g, '\\$&')} is ${kinds[kind]}, not a database file$`));
      }
      expect(readdirSync(join(dir, 'odd')).sort()).toEqual(before);
      if (kind === 'directory') expect(readdirSync(places.directory!)).toEqual([]);
    });
  }

  it('still creates a database where nothing is, and opens one through a symbolic link', () => {
    const fresh = join(dir, 'fresh.db');
    expect(runCli(['import', exportFile], { db: fresh }).status).toBe(0);
    symlinkSync(fresh, join(dir, 'link.db'));
    expect(JSON.parse(runCli(['ls', '--json'], { db: join(dir, 'link.db') }).stdout)).toHaveLength(1);
  });
});
