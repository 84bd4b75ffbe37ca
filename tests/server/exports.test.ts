import { afterEach, describe, expect, it } from 'vitest';
import { csvCell } from '../../server/export/csv.ts';
import { mdText } from '../../server/export/exports.ts';
import type { RoomCommand } from '../../server/room/commands.ts';
import { applyCommand, createRoom } from '../../server/room/reduce.ts';
import type { RoomState } from '../../server/room/state.ts';
import type { RoomView } from '../../shared/protocol/room.ts';
import { OUTCOME_NAMES, objectiveLabel } from '../../shared/rules/explain.ts';
import {
  type Client,
  createGame,
  facilitator,
  joined,
  removeDir,
  startServer,
  type TestServer,
} from './harness.ts';

let srv: TestServer;
const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await srv?.stop();
  removeDir(srv.dataDir);
});

/** A finished game: humans join (one with a name full of markup), then bots take both sides. */
async function finishedGame() {
  srv = await startServer();
  const game = await createGame(srv.url, { scenarioId: 'classroom-short', rounds: 3 });
  const fac = await facilitator(srv.url, game.facilitatorToken);
  const us = await joined(srv.url, game.code, '<img src=x onerror=alert(1)> *Ana*', 'us');
  clients.push(fac, us);
  await us.ok('chat:send', { channel: 'public', text: '=HYPERLINK("http://evil")' });
  await fac.ok('fac:setBot', { side: 'us', bot: 'adaptive' });
  await fac.ok('fac:setBot', { side: 'china', bot: 'deceive' });
  await fac.ok('fac:start');
  await fac.ok('fac:adjust', { variable: 'trust', value: 45, note: 'Ruling: the summit went well' });
  for (let i = 0; i < 40 && fac.view?.phase !== 'ended'; i++) {
    const seq = fac.view?.seq ?? 0;
    await fac.ok('fac:advance');
    await fac.until((v) => v.seq > seq);
  }
  expect(fac.view?.phase).toBe('ended');
  return { game, fac, us };
}

async function get(path: string, token?: string) {
  return fetch(`${srv.url}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
}

describe('exports for the facilitator', () => {
  it('JSON holds the whole log without secrets, and replaying it rebuilds the final state', async () => {
    const { game, us } = await finishedGame();
    const res = await get(`/api/games/${game.code}/export?format=json`, game.facilitatorToken);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(`hotline-${game.code}`);
    const text = await res.text();
    expect(text).not.toContain('tokenHash');
    expect(text).not.toContain(game.facilitatorToken);
    expect(text).not.toContain(us.token);
    const body = JSON.parse(text) as {
      commands: RoomCommand[];
      final: Omit<RoomState, 'facilitatorTokenHash' | 'seats'>;
    };
    const [create, ...rest] = body.commands;
    if (create?.type !== 'create') throw new Error('the log must start with create');
    let room = createRoom({ ...create, facilitatorTokenHash: 'x' });
    for (const cmd of rest)
      room = applyCommand(
        room,
        cmd.type === 'join' ? { ...cmd, seat: { ...cmd.seat, tokenHash: 'y' } } : cmd,
      );
    expect(room.game).toEqual(body.final.game);
    expect(room.seq).toBe(body.final.seq);
  });

  it('Markdown is an after-action report with every round, the outcome and player text as text', async () => {
    const { game, fac } = await finishedGame();
    const res = await get(`/api/games/${game.code}/export?format=md`, game.facilitatorToken);
    expect(res.headers.get('content-type')).toContain('text/markdown');
    const md = await res.text();
    const view = fac.view as RoomView;
    expect(md).toContain(`# After-action report: game ${game.code}`);
    // The outcome and objectives in words, not the rules' ids.
    const outcome = view.game.public.outcome;
    expect(md).toContain(`**${OUTCOME_NAMES[outcome?.id ?? 'catastrophe']}** in round`);
    expect(md).not.toContain(`**${outcome?.id}**`);
    expect(md).toContain(objectiveLabel('no-catastrophe'));
    expect(md).toContain('Scenario **Classroom');
    for (let r = 1; r <= view.game.public.round; r++) expect(md).toContain(`### Round ${r}`);
    expect(md).toContain('Every change, and why');
    expect(md).toContain('Ruling: the summit went well');
    // Every < from player text is escaped, so no HTML tag survives in the report.
    expect(md).not.toMatch(/(^|[^\\])<img/m);
    expect(md).toContain(mdText('<img src=x onerror=alert(1)> *Ana*'));
  });

  it('CSV has one row per round and neutralises formula-like cells', async () => {
    const { game, fac } = await finishedGame();
    const csv = await (await get(`/api/games/${game.code}/export?format=csv`, game.facilitatorToken)).text();
    const lines = csv.trim().split('\n');
    expect(lines[0]).toMatch(/^round,lead_months,risk,trust,/);
    expect(lines).toHaveLength((fac.view as RoomView).game.public.round + 1);
    expect(csvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    for (const bad of ['+1', '-1', '@SUM(A1)', '\tx'])
      expect(csvCell(bad).replace(/^"/, '').startsWith("'")).toBe(true);
    expect(csvCell('plain, with comma')).toBe('"plain, with comma"');
    expect(mdText('# not a heading')).toBe('\\# not a heading');
  });

  it('refuses a player before the end and lets any seat of the game download it after', async () => {
    srv = await startServer();
    const game = await createGame(srv.url, { scenarioId: 'classroom-short', rounds: 3 });
    const us = await joined(srv.url, game.code, 'Ana', 'us');
    clients.push(us);
    const asPlayer = await get(`/api/games/${game.code}/export?format=md`, us.token);
    expect(asPlayer.status).toBe(403);
    expect(await asPlayer.json()).toMatchObject({ ok: false, code: 'forbidden' });
    await srv.stop();
    removeDir(srv.dataDir);
    const done = await finishedGame();
    const after = await get(`/api/games/${done.game.code}/export?format=md`, done.us.token);
    expect(after.status).toBe(200);
    expect(await after.text()).toContain('Every change, and why');
  });

  it('refuses without the token, with another game’s token, and for an unknown format', async () => {
    const { game } = await finishedGame();
    expect((await get(`/api/games/${game.code}/export?format=md`)).status).toBe(401);
    const other = await createGame(srv.url, { scenarioId: 'classroom-short' });
    const stranger = await get(`/api/games/${game.code}/export?format=md`, other.facilitatorToken);
    expect(stranger.status).toBe(403);
    expect(await stranger.json()).toMatchObject({ ok: false, code: 'forbidden' });
    const bad = await get(`/api/games/${game.code}/export?format=pdf`, game.facilitatorToken);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain('format must be json, md or csv');
    expect((await get('/api/games/ZZZZZZ/export?format=md', game.facilitatorToken)).status).toBe(404);
    // The scheme's name is case-insensitive; the token is not.
    const lower = (token: string) =>
      fetch(`${srv.url}/api/games/${game.code}/export?format=csv`, {
        headers: { authorization: `bearer ${token}` },
      });
    expect((await lower(game.facilitatorToken)).status).toBe(200);
    expect((await lower(game.facilitatorToken.toLowerCase())).status).not.toBe(200);
  });
});
