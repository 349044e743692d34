/**
 * `openInspector` as a library call (the benchmark's hook): on a screen drawing into nothing, it resolves
 * once the first frame is painted, and closing it leaves the caller's screen alone.
 */
import type { Widgets } from 'blessed';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../src/store/openStore.js';
import { headlessScreen, openInspector } from '../src/tui/index.js';
import { storeLargeRun } from './support/largeRun.js';
import { useTempDir } from './support/tempDb.js';

const tempDir = useTempDir();

/** What the screen shows, as text (blessed keeps each cell as [attributes, character]). */
function screenText(screen: Widgets.Screen): string {
  const lines = (screen as unknown as { lines: [number, string][][] }).lines;
  return lines.map((line) => line.map(([, ch]) => ch).join('').trimEnd()).join('\n');
}

function press(screen: Widgets.Screen, ch: string): void {
  screen.program.emit('keypress', ch, { name: ch, full: ch, sequence: ch });
}

/** A key's effect shows once what it reads has been read: wait (with a deadline) for the screen to say so. */
async function screenWhen(screen: Widgets.Screen, shows: (text: string) => boolean): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (!shows(screenText(screen)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return screenText(screen);
}

describe('openInspector', () => {
  it('paints a large run at once, then fills in its analysis, and closes on q', async () => {
    const store = await openStore(join(tempDir(), 'large.db'));
    const runId = await storeLargeRun(store, 30_000);
    const screen = headlessScreen(160, 48);
    const inspector = await openInspector({ store, runId, screen });

    expect(inspector.firstPaintMs).toBeGreaterThan(0);
    const first = screenText(screen);
    expect(first).toContain('large run (30000 events)');
    expect(first).toContain('starting_agent');
    expect(first).toMatch(/analysing \d+%/);

    press(screen, 'G');
    const atEnd = await screenWhen(screen, (text) => /#\d+\/\d+/.test(text));
    expect(atEnd).toMatch(/#\d+\/\d+/);
    expect(atEnd).not.toContain('starting_agent');

    // The analysis runs in the background; its end shows as the counts being final.
    const analysed = await screenWhen(screen, (text) => !/analysing/.test(text));
    const counts = { raw: 0, item: 0, agent: 0 };
    for await (const event of store.iterateEvents(runId)) counts[event.level]++;
    expect(analysed).toContain(`[x] R raw ${counts.raw}  [x] I item ${counts.item}  [x] A agent ${counts.agent}`);

    // A time that does not parse is answered in the footer; the prompt is gone, the keys work again.
    for (const ch of 'tabc') press(screen, ch);
    screen.program.emit('keypress', '\r', { name: 'enter', full: 'enter', sequence: '\r' });
    expect(await screenWhen(screen, (text) => text.includes('seek:'))).toMatch(/seek: expected a seq \(42 or #42\) or a time/);
    press(screen, 'g');
    expect(await screenWhen(screen, (text) => text.includes('starting_agent'))).toContain('starting_agent');

    // The waterfall of the whole run: its rows read in the background, the keys answering meanwhile.
    press(screen, 'w');
    const rows = await screenWhen(screen, (text) => /Waterfall \(\d+ rows\)  w: events/.test(text));
    expect(rows).toMatch(/call \d+/);
    const run = (await store.getRun(runId))!;
    const halfSeq = (await store.seqAtTime(runId, run.durationUs! / 2))! - 1;
    press(screen, '5');
    expect(await screenWhen(screen, (text) => text.includes(`#${halfSeq}/`))).toContain(`#${halfSeq}/`);
    press(screen, 'j');
    const stepped = await screenWhen(screen, (text) => !text.includes(`#${halfSeq}/`));
    expect(Number(/#(\d+)\//.exec(stepped)![1])).toBeGreaterThan(halfSeq);

    press(screen, 'q');
    await inspector.closed;
    // A screen the caller gave is left to the caller, emptied of the inspector.
    expect(screenText(screen).trim()).toBe('');
    screen.destroy();
    await store.close();
  });
});
