import { afterEach, describe, expect, it } from 'vitest';
import type { CreateGameResponse, ResumeResult } from '../../shared/protocol/events.ts';
import type { GameState } from '../../shared/rules/state.ts';
import { Client, createGame, startServer } from './harness.ts';
import { advanceTo, Fixture, roomOf } from './helpers2.ts';

const fx = new Fixture();
afterEach(() => fx.cleanup());

async function fork(url: string, code: string, token: string | null, body: unknown) {
  const res = await fetch(`${url}/api/games/${code}/fork`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as CreateGameResponse & { code: string; message: string },
  };
}

/** Plays on until the facilitator's view shows the briefing of `round`. */
async function toBriefingOf(fac: Client, round: number): Promise<void> {
  while (!(fac.view?.phase === 'briefing' && fac.view.round === round)) {
    const seq = fac.view?.seq ?? 0;
    await fac.ok('fac:advance');
    await fac.until((v) => v.seq > seq, 'the next phase');
  }
}

/**
 * A fork replays a game from one of its rounds: a new game, with its own code, that starts at
 * the briefing of that round with the world exactly as the source's players found it (history,
 * hidden values, the state of the dice), so the same choices give the same round, and different
 * ones show what they change.
 */
describe('forking a game from one of its rounds', () => {
  it('starts from the round’s briefing as it was, and the same choices replay the same round', async () => {
    const srv = await startServer();
    const bots = { us: 'max-pressure', china: 'deceive' };
    const game = await createGame(srv.url, { scenarioId: 'baseline-2026', rounds: 4, bots });
    const fac = await fx.resume(srv.url, game.facilitatorToken);
    await fac.ok('fac:start');
    await toBriefingOf(fac, 2);
    const atRound2 = JSON.parse(JSON.stringify(roomOf(srv, game.code).state.game)) as GameState;
    await toBriefingOf(fac, 3);
    const source = roomOf(srv, game.code).state.game;

    const made = await fork(srv.url, game.code, game.facilitatorToken, { round: 2 });
    expect(made.status).toBe(201);
    expect(made.body.forkOf).toEqual({ code: game.code, round: 2 });
    expect(made.body.code).not.toBe(game.code);
    expect(made.body.joinLink).toMatch(new RegExp(`/#/join/${made.body.code}$`));
    expect(roomOf(srv, made.body.code).state.game).toEqual(atRound2);

    const forked = await fx.resume(srv.url, made.body.facilitatorToken);
    expect(forked.view).toMatchObject({ phase: 'lobby', round: 2, forkOf: { code: game.code, round: 2 } });
    expect(forked.view?.chat[0]?.text).toMatch(new RegExp(`^This game is a fork of game ${game.code}`));
    expect(forked.view?.game.log.public).toHaveLength(1);
    await forked.ok('fac:start');
    await toBriefingOf(forked, 3);
    // The same bots, the same dice: round 2 happens again exactly as it did in the source.
    const replayed = roomOf(srv, made.body.code).state.game;
    expect(replayed.history.metrics[1]).toEqual(source.history.metrics[1]);
    expect(replayed.history.public[1]).toEqual(source.history.public[1]);
    // The source is untouched.
    expect(roomOf(srv, game.code).state.game.round).toBe(3);

    // The fork is a game like any other: it comes back after a restart.
    for (const c of [fac, forked]) c.close();
    await srv.stop();
    const again = await startServer({ dataDir: srv.dataDir });
    try {
      const back = await new Client(again.url).connected();
      back.adopt(
        (await back.ok<ResumeResult>('game:resume', { token: made.body.facilitatorToken })).snapshot,
      );
      expect(back.view).toMatchObject({ round: 3, forkOf: { code: game.code, round: 2 } });
      const info = (await (await fetch(`${again.url}/api/games/${made.body.code}`)).json()) as {
        forkOf: unknown;
      };
      expect(info.forkOf).toEqual({ code: game.code, round: 2 });
      back.close();
    } finally {
      await again.stop();
    }
  });

  it('only the facilitator may fork, and only a round the game has reached', async () => {
    const srv = await fx.server();
    const game = await createGame(srv.url, {
      scenarioId: 'classroom-short',
      bots: { us: 'ease', china: 'cooperate' },
    });
    const fac = await fx.resume(srv.url, game.facilitatorToken);
    const player = await fx.join(srv.url, game.code, 'Ana', 'observer');
    expect((await fork(srv.url, game.code, game.facilitatorToken, { round: 1 })).body.message).toMatch(
      /never reached the briefing of round 1/,
    );
    await fac.ok('fac:start');
    await advanceTo(fac, 'negotiation');
    const before = srv.server.registry.rooms.size;
    const cases: [string | null, unknown, number, RegExp][] = [
      [null, { round: 1 }, 401, /Bearer/],
      [player.token ?? '', { round: 1 }, 403, /only this game's facilitator/],
      ['x'.repeat(30), { round: 1 }, 403, /only this game's facilitator/],
      [
        game.facilitatorToken,
        { round: 2 },
        400,
        /^round: game [A-Z0-9]{6} never reached the briefing of round 2/,
      ],
      [game.facilitatorToken, { round: 0 }, 400, /^round: /],
      [game.facilitatorToken, { round: '1' }, 400, /^round: /],
      [game.facilitatorToken, { round: 1, extra: true }, 400, /extra/],
    ];
    for (const [token, body, status, message] of cases) {
      const r = await fork(srv.url, game.code, token, body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body.message).toMatch(message);
    }
    expect((await fork(srv.url, 'ZZZZZZ', game.facilitatorToken, { round: 1 })).status).toBe(404);
    expect(srv.server.registry.rooms.size).toBe(before);
    // The round being played can be forked from its briefing.
    expect((await fork(srv.url, game.code, game.facilitatorToken, { round: 1 })).status).toBe(201);
  });
});
