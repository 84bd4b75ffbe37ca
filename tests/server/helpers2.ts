import { expect } from 'vitest';
import type { Room } from '../../server/room/room.ts';
import type { Ack, ErrorCode } from '../../shared/protocol/errors.ts';
import type { CreateGameRequest, JoinResult, ResumeResult } from '../../shared/protocol/events.ts';
import type { RoomPhase, RoomView } from '../../shared/protocol/room.ts';
import { Client, createGame, removeDir, startServer, type TestServer } from './harness.ts';

type JoinRole = 'us' | 'china' | 'observer';

/**
 * Everything one test opened: every client is closed and every server stopped (and its data
 * directory removed) by `cleanup`, which each file calls in afterEach.
 */
export class Fixture {
  private readonly servers: TestServer[] = [];
  private readonly clients: Client[] = [];

  async server(): Promise<TestServer> {
    const s = await startServer();
    this.servers.push(s);
    return s;
  }

  /** A new client, tracked for cleanup, not yet known to be connected. */
  client(url: string, make: (url: string) => Client = (u) => new Client(u)): Client {
    const c = make(url);
    this.clients.push(c);
    return c;
  }

  async join(url: string, code: string, name: string, role: JoinRole): Promise<Client> {
    const c = await this.client(url).connected();
    const r = await c.ok<JoinResult>('game:join', { code, name, role });
    c.token = r.token;
    c.adopt(r.snapshot);
    return c;
  }

  /** A socket bound to an existing seat (or the facilitator) by its token. */
  async resume(url: string, token: string): Promise<Client> {
    const c = await this.client(url).connected();
    const r = await c.ok<ResumeResult>('game:resume', { token });
    c.token = token;
    c.adopt(r.snapshot);
    return c;
  }

  async cleanup(): Promise<void> {
    for (const c of this.clients.splice(0)) c.close();
    for (const s of this.servers.splice(0)) {
      await s.stop();
      removeDir(s.dataDir);
    }
  }
}

/** A started server with one game, its facilitator, and a lead on each side. */
export interface Table {
  srv: TestServer;
  code: string;
  facToken: string;
  fac: Client;
  us: Client;
  cn: Client;
}

export async function table(
  fx: Fixture,
  req: CreateGameRequest = { scenarioId: 'classroom-short' },
): Promise<Table> {
  const srv = await fx.server();
  const game = await createGame(srv.url, req);
  const fac = await fx.resume(srv.url, game.facilitatorToken);
  const us = await fx.join(srv.url, game.code, 'Ana (NSC)', 'us');
  const cn = await fx.join(srv.url, game.code, 'Bo (MFA)', 'china');
  // Arrivals reach the others' views a moment later, gathered (PRESENCE_GATHER_MS): settle first.
  const seq = seqOf(srv, game.code);
  for (const c of [fac, us, cn]) await c.until((v) => v.seq === seq, 'the seated table');
  return { srv, code: game.code, facToken: game.facilitatorToken, fac, us, cn };
}

export function roomOf(srv: TestServer, code: string): Room {
  const room = srv.server.registry.rooms.get(code.toUpperCase());
  if (!room) throw new Error(`no room ${code}`);
  return room;
}

/** The room's authoritative sequence number. */
export function seqOf(srv: TestServer, code: string): number {
  return roomOf(srv, code).state.seq;
}

/**
 * Waits until every frame the server sent `c` before this call has arrived: a command with a
 * malformed payload is answered (bad-payload) without touching any room, and the server writes
 * to one socket in order, so any view sent earlier arrives before this answer.
 */
export async function barrier(c: Client): Promise<void> {
  const a = await c.call('fac:extend', null);
  expect(a).toMatchObject({ ok: false, code: 'bad-payload' });
}

export function expectRefused(ack: Ack<unknown>, code: ErrorCode, message: RegExp): void {
  expect(ack.ok, `expected a refusal with ${code}, got ${JSON.stringify(ack)}`).toBe(false);
  if (ack.ok) return;
  expect(ack.code).toBe(code);
  expect(ack.message).toMatch(message);
}

/**
 * Sends a command that must be refused with `code` (message matching `message`), and checks that
 * the room did not move: its seq is the same on the server and in the facilitator's view.
 */
export async function refused(
  t: Table,
  c: Client,
  event: string,
  payload: unknown,
  code: ErrorCode,
  message: RegExp,
): Promise<Ack<unknown>> {
  const before = seqOf(t.srv, t.code);
  // Seats taken just before reach the facilitator's view a moment later (gathered): settle first.
  await t.fac.until((v) => v.seq === before, 'the settled table');
  const ack = await c.call(event, payload);
  expectRefused(ack, code, message);
  expect(seqOf(t.srv, t.code)).toBe(before);
  await barrier(t.fac);
  expect(t.fac.view?.seq).toBe(before);
  return ack;
}

/** The facilitator moves the game on, one phase at a time, until it reaches `phase`. */
export async function advanceTo(fac: Client, phase: RoomPhase): Promise<RoomView> {
  for (let i = 0; i < 10 && fac.view?.phase !== phase; i++) {
    const seq = fac.view?.seq ?? 0;
    await fac.ok('fac:advance');
    await fac.until((v) => v.seq > seq, `a view after seq ${seq}`);
  }
  expect(fac.view?.phase).toBe(phase);
  return fac.view as RoomView;
}

/** Records the text of every engine.io packet a client receives: events and acknowledgements. */
export function recordRaw(c: Client): string[] {
  const raw: string[] = [];
  c.socket.io.engine.on('packet', (p: { type: string; data?: unknown }) => {
    if (typeof p.data === 'string') raw.push(p.data);
  });
  return raw;
}

/** A client that records raw packets from its first one, joined to a game. */
export async function joinRecorded(
  fx: Fixture,
  url: string,
  code: string,
  name: string,
  role: JoinRole,
): Promise<{ client: Client; raw: string[] }> {
  const client = fx.client(url);
  const raw = recordRaw(client);
  await client.connected();
  const r = await client.ok<JoinResult>('game:join', { code, name, role });
  client.token = r.token;
  client.adopt(r.snapshot);
  return { client, raw };
}

/** Polls until `pred` holds (for events that are not views, such as a disconnect). */
export async function eventually(pred: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
