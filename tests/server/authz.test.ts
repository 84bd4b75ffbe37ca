import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandName } from '../../shared/protocol/events.ts';
import { type Client, createGame } from './harness.ts';
import { advanceTo, Fixture, seqOf, table } from './helpers2.ts';

const fx = new Fixture();
afterEach(() => fx.cleanup());

type Who =
  | 'us-lead'
  | 'us-member'
  | 'china-lead'
  | 'observer'
  | 'facilitator'
  | 'other-game'
  | 'forged-token'
  | 'no-token';

/** A payload each command accepts in shape, so a refusal can only be about who sends it. */
const PAYLOAD: Record<Exclude<CommandName, 'game:join' | 'game:resume'>, unknown> = {
  'draft:set': { baseVersion: 0, orders: [] },
  'draft:lock': { baseVersion: 0 },
  'forecast:set': { baseVersion: 0, moves: [] },
  'draft:unlock': {},
  'chat:send': { channel: 'us', text: 'authorisation matrix' },
  'crisis:answer': { choice: 'share' },
  'team:takeLead': {},
  'fac:start': {},
  'fac:pause': {},
  'fac:resume': {},
  'fac:advance': {},
  'fac:end': {},
  'fac:extend': { seconds: 60 },
  'fac:broadcast': { text: 'authorisation matrix' },
  'fac:setBot': { side: 'us', bot: null },
  'fac:setLead': { seatId: 'no-such-seat' },
  'fac:removeSeat': { seatId: 'no-such-seat' },
  'fac:inject': { eventId: 'lab-incident' },
  'fac:adjust': { variable: 'trust', value: 40, note: 'authorisation matrix' },
};

/** Who may send each command (everyone else must be refused and change nothing). */
function allowed(cmd: keyof typeof PAYLOAD, who: Who): boolean {
  if (cmd.startsWith('fac:')) return who === 'facilitator';
  if (cmd === 'draft:set' || cmd === 'forecast:set' || cmd === 'team:takeLead')
    return who === 'us-lead' || who === 'us-member' || who === 'china-lead';
  if (cmd === 'draft:lock' || cmd === 'draft:unlock' || cmd === 'crisis:answer')
    return who === 'us-lead' || who === 'china-lead';
  // chat on the US team's channel: the US team and the facilitator.
  return who === 'us-lead' || who === 'us-member' || who === 'facilitator';
}

describe('who may do what', () => {
  it('refuses every forbidden command × role cell and changes nothing, and lists every cell', async () => {
    const t = await table(fx);
    const usMember = await fx.join(t.srv.url, t.code, 'Cy (State)', 'us');
    const observer = await fx.join(t.srv.url, t.code, 'Olga', 'observer');
    const other = await createGame(t.srv.url, { scenarioId: 'classroom-short' });
    const otherSeat = await fx.join(t.srv.url, other.code, 'Dee', 'us');
    const forged = await fx.client(t.srv.url).connected();
    const forgedAck = await forged.call('game:resume', { token: 'x'.repeat(24) });
    expect(forgedAck).toMatchObject({ ok: false, code: 'unauthorized' });
    const nobody = await fx.client(t.srv.url).connected();
    await t.fac.ok('fac:start');
    await advanceTo(t.fac, 'orders');

    const who: Record<Who, Client> = {
      'us-lead': t.us,
      'us-member': usMember,
      'china-lead': t.cn,
      observer,
      facilitator: t.fac,
      'other-game': otherSeat,
      'forged-token': forged,
      'no-token': nobody,
    };
    const rows: string[] = [];
    let refusedCells = 0;
    // Forbidden cells first, then the permitted ones, so the game's phase holds while refusals are checked.
    const cells = (Object.keys(PAYLOAD) as (keyof typeof PAYLOAD)[]).flatMap((cmd) =>
      (Object.keys(who) as Who[]).map((w) => ({ cmd, w })),
    );
    cells.sort((a, b) => Number(allowed(a.cmd, a.w)) - Number(allowed(b.cmd, b.w)));
    for (const { cmd, w } of cells) {
      const before = seqOf(t.srv, t.code);
      const otherBefore = seqOf(t.srv, other.code);
      const ack = await who[w].call(cmd, PAYLOAD[cmd]);
      const result = ack.ok ? 'ok' : ack.code;
      if (allowed(cmd, w)) {
        // A permitted sender may still meet the rules (wrong phase, stale draft), never an authorisation refusal.
        expect(['unauthorized', 'forbidden'], `${cmd} by ${w}`).not.toContain(result);
        rows.push(`${cmd.padEnd(14)} ${w.padEnd(13)} permitted  ${result}`);
        continue;
      }
      expect(seqOf(t.srv, t.code), `${cmd} by ${w} changed the game`).toBe(before);
      refusedCells++;
      if (w === 'other-game') {
        // A seat of another game acts on its own game (where it may well be allowed), never on this one.
        rows.push(`${cmd.padEnd(14)} ${w.padEnd(13)} not here   ${result} (in its own game)`);
        continue;
      }
      expect(ack.ok, `${cmd} by ${w} must be refused`).toBe(false);
      expect(['unauthorized', 'forbidden', 'wrong-phase'], `${cmd} by ${w}`).toContain(result);
      expect(seqOf(t.srv, other.code)).toBe(otherBefore);
      rows.push(`${cmd.padEnd(14)} ${w.padEnd(13)} forbidden  ${result}`);
    }
    expect(rows).toHaveLength(Object.keys(PAYLOAD).length * Object.keys(who).length);
    expect(refusedCells).toBeGreaterThan(80);
    const dir = join(process.cwd(), 'test-output');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'authorisation-matrix.txt'),
      `command        sender        expected   answer\n${rows.join('\n')}\n`,
    );
    // For the fault suite's summary: every forbidden cell was refused (or the test failed above).
    mkdirSync(join(dir, 'faults'), { recursive: true });
    writeFileSync(
      join(dir, 'faults', 'authz.json'),
      JSON.stringify({
        cells: rows.length,
        forbidden: refusedCells,
        refused: refusedCells,
        senders: Object.keys(who),
      }),
    );
  });
});
