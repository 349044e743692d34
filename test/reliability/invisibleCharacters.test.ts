/**
 * Invisible characters (zero-width, bidirectional controls, tag characters, line separators, the BOM, the
 * soft hyphen) can reorder or hide what a reader sees. Every one shows as its code point, in the CLI and the
 * TUI, except the joiners and presentation selectors that make up an emoji.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sanitizeLine, sanitizeText, terminalSafeJson } from '../../src/events/sanitize.js';
import { openStore } from '../../src/store/openStore.js';
import { allEvents } from '../support/sqlite.js';
import { eventDetail } from '../../src/tui/views/detail.js';
import { runsTable } from '../../src/tui/views/runsList.js';
import { plainOf } from '../../src/tui/views/styled.js';
import { Summaries, timelineLine } from '../../src/tui/views/timeline.js';
import { AgentColours } from '../../src/tui/views/agentColours.js';
import { displayWidth } from '../../src/tui/views/width.js';
import { runCli } from '../support/cli.js';
import { storeSyntheticRun } from '../support/syntheticRun.js';
import { useSharedTempDir } from '../support/tempDb.js';

const sharedDir = useSharedTempDir();

/** Every format control, line separator and paragraph separator Unicode defines (as this Node knows them). */
const INVISIBLE = /\p{Cf}|\p{Zl}|\p{Zp}/u;
const everyInvisible: string[] = [];
for (let code = 0; code <= 0x10ffff; code++) {
  if (code >= 0xd800 && code <= 0xdfff) continue;
  const ch = String.fromCodePoint(code);
  if (INVISIBLE.test(ch)) everyInvisible.push(ch);
}
const codePoint = (ch: string) => `<U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`;

/** Emoji whose joiners and presentation selectors must stay: a profession with a skin tone, a flag, a keycap, a red heart. */
const EMOJI = ['👩🏽‍💻', '🏳️‍🌈', '1️⃣', '❤️', '👨‍👩‍👧'];

/** Text that reads as "pay bob" but hides a reversed file name and an instruction in tag characters. */
const HIDDEN_TAGS = [...'ignore all'].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('');
const HOSTILE = `pay\u200b bob\u2066 \u202egnp.exe\u2069 ${HIDDEN_TAGS}\ufeff so\u00adft\u2028next\u2029 \u061c x\u200dy`;
const HOSTILE_SHOWN = 'pay<U+200B> bob<U+2066> <U+202E>gnp.exe<U+2069> <U+E0069><U+E0067><U+E006E><U+E006F><U+E0072><U+E0065><U+E0020><U+E0061><U+E006C><U+E006C><U+FEFF> so<U+00AD>ft<U+2028>next<U+2029> <U+061C> x<U+200D>y';

describe('the sanitizer', () => {
  it('shows every Cf, Zl and Zp code point as <U+…>, in text, in lines and escaped in JSON', () => {
    expect(everyInvisible.length).toBeGreaterThan(150);
    for (const ch of everyInvisible) {
      expect(sanitizeText(`a${ch}b`)).toBe(`a${codePoint(ch)}b`);
      expect(sanitizeLine(`a${ch}b`)).toBe(`a${codePoint(ch)}b`);
      const json = terminalSafeJson(JSON.stringify(`a${ch}b`));
      expect(json).not.toMatch(INVISIBLE);
      expect(JSON.parse(json)).toBe(`a${ch}b`);
    }
    expect(sanitizeText(HOSTILE)).toBe(HOSTILE_SHOWN);
  });

  it('keeps the joiners and presentation selectors of an emoji, nowhere else, and a run of selectors shows', () => {
    for (const emoji of EMOJI) {
      expect(sanitizeText(`a ${emoji} b`)).toBe(`a ${emoji} b`);
      expect(terminalSafeJson(JSON.stringify(emoji))).toBe(JSON.stringify(emoji));
    }
    expect(sanitizeText('a\u200d\u{1f4bb}')).toBe('a<U+200D>\u{1f4bb}');
    expect(sanitizeText('\u{1f469}\u200d')).toBe('\u{1f469}<U+200D>');
    // Data smuggled in variation selectors after one emoji.
    expect(sanitizeText('\u{1f600}\u{e0100}\u{e0101}\ufe0f')).toBe('\u{1f600}<U+E0100><U+E0101><U+FE0F>');
  });
});

describe('the CLI and the TUI', () => {
  const AGENT = 'A\u202e';
  let db: string;
  let runId: string;
  beforeAll(async () => {
    db = join(sharedDir(), 'invisible.db');
    const store = await openStore(db);
    runId = await storeSyntheticRun(store, [
      { tUs: 10, level: 'raw', name: 'output_text_delta', agent: AGENT, payload: { type: 'raw_model_stream_event', data: { type: 'output_text_delta', delta: `${HOSTILE} ${EMOJI.join(' ')}` } } },
    ], { startingAgent: AGENT });
    await store.close();
  });

  const texts: [string, () => string[]][] = [
    ['show', () => ['show', runId]],
    ['replay', () => ['replay', runId, '--speed', 'instant']],
    ['replay --format events', () => ['replay', runId, '--speed', 'instant', '--format', 'events']],
    ['replay --format jsonl', () => ['replay', runId, '--speed', 'instant', '--format', 'jsonl']],
    ['export', () => ['export', runId]],
  ];
  for (const [label, args] of texts) {
    it(`shows them visibly: runtape ${label}`, () => {
      const out = runCli(args(), { db });
      expect(out.stderr).toBe('');
      expect(out.status).toBe(0);
      const withoutEmoji = EMOJI.reduce((text, emoji) => text.replaceAll(emoji, ''), out.stdout);
      expect(withoutEmoji).not.toMatch(INVISIBLE);
      expect(out.stdout).toMatch(label.includes('jsonl') || label === 'export' ? /\\u202e/ : /<U\+202E>/);
    });
  }

  it('draws the timeline, the payload and the runs list with stand-ins, each row exactly the width', async () => {
    const store = await openStore(db, { readonly: true });
    const event = (await allEvents(store, runId))[1]!;
    const run = { ...(await store.getRun(runId))!, name: HOSTILE };
    await store.close();
    for (const width of [80, 120, 200]) {
      const row = plainOf(timelineLine({ kind: 'event', event, selected: false, played: true }, width, new AgentColours([AGENT]), new Summaries()));
      expect(displayWidth(row)).toBe(width);
      expect(row).toContain('A<U+202E>');
      expect(row).not.toMatch(INVISIBLE);
      const table = runsTable([run], run.id, width);
      expect(displayWidth(plainOf(table.rows[0]!))).toBe(width);
      expect(plainOf(table.rows[0]!)).toContain('pay<U+200B>');
    }
    const detail = eventDetail(event).lines.map(plainOf).join('\n');
    expect(detail).toContain('<U+202E>gnp.exe');
    for (const emoji of EMOJI) expect(detail).toContain(emoji);
  });
});
