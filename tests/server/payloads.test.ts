import { request } from 'node:http';
import { io, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_FRAME_BYTES } from '../../server/app.ts';
import { parseAllowedOrigins } from '../../server/origins.ts';
import { type CommandName, commandSchemas } from '../../shared/protocol/events.ts';
import {
  MAX_CHAT_LENGTH,
  MAX_DEADLINE_SECONDS,
  MAX_NAME_LENGTH,
  MAX_TITLE_LENGTH,
} from '../../shared/protocol/room.ts';
import { EVENT_DECK } from '../../shared/rules/events.ts';
import { MAX_ORDERS, MAX_RATIONALE } from '../../shared/rules/orders.ts';
import { type Client, createGame, removeDir, startServer } from './harness.ts';
import { advanceTo, eventually, expectRefused, Fixture, seqOf, type Table, table } from './helpers2.ts';

const fx = new Fixture();
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await fx.cleanup();
});

type Payload = unknown;

/** Who sends an event: a socket bound to nobody, the US lead, or the facilitator. */
type Sender = 'none' | 'us' | 'fac';

interface Case {
  sender: Sender;
  /** A payload the schema accepts, and what the server answers to it at the start of the orders phase. */
  valid: (t: Table) => Payload;
  validAnswer: 'ok' | 'wrong-phase' | 'locked';
  /** Whether `{}` lacks required fields. */
  required: boolean;
  /** Field values of the wrong type, range or size, each sent in an otherwise valid payload. */
  wrong: Record<string, unknown[]>;
}

const long = (n: number) => 'x'.repeat(n);
const order = (extra: Record<string, unknown>) => [{ move: 'safety-research', ...extra }];

const CASES: Record<CommandName, Case> = {
  'game:join': {
    sender: 'none',
    valid: (t) => ({ code: t.code, name: 'Zed', role: 'us' }),
    validAnswer: 'ok',
    required: true,
    wrong: {
      code: [123, 'ABC', 'ABCDEFG', 'AB CD!', null, long(10_000)],
      name: ['', '   ', 42, long(MAX_NAME_LENGTH + 1), 'bell\u0007name', ['Zed']],
      role: ['facilitator', 'US', null, 1],
      title: [42, long(MAX_TITLE_LENGTH + 1), 'tab\u0009title', ['Commerce'], null],
    },
  },
  'game:resume': {
    sender: 'none',
    valid: (t) => ({ token: t.us.token, lastSeq: 0 }),
    validAnswer: 'ok',
    required: true,
    wrong: {
      token: ['short', 123, long(65), 'has spaces and is long enough', null, { token: 'x' }],
      lastSeq: [-1, 1.5, '3', null, [1]],
    },
  },
  'draft:set': {
    sender: 'us',
    valid: (t) => ({ baseVersion: t.us.view?.draft?.version ?? 0, orders: [{ move: 'safety-research' }] }),
    validAnswer: 'ok',
    required: true,
    wrong: {
      baseVersion: [-1, 0.5, '0', null],
      orders: [
        null,
        {},
        'safety-research',
        [1],
        [{}],
        [{ move: '' }],
        order({ extra: 1 }),
        Array.from({ length: MAX_ORDERS + 1 }, () => ({ move: 'safety-research' })),
        [{ move: long(41) }],
        order({ rationale: long(MAX_RATIONALE + 1) }),
        order({ loophole: 'nope' }),
        order({ scope: 'everything' }),
        order({ agreement: 'peace' }),
        order({ agreementId: long(13) }),
        order({ rationale: 7 }),
      ],
    },
  },
  'draft:lock': {
    sender: 'us',
    valid: (t) => ({ baseVersion: t.us.view?.draft?.version ?? 0 }),
    validAnswer: 'ok',
    required: true,
    wrong: { baseVersion: [-1, 1.5, '1', null, [0]] },
  },
  'forecast:set': {
    sender: 'us',
    valid: (t) => ({ baseVersion: t.us.view?.draft?.version ?? 0, moves: ['evasion-network'] }),
    validAnswer: 'ok',
    required: true,
    wrong: {
      baseVersion: [-1, 0.5, '0', null],
      moves: [
        null,
        'evasion-network',
        [1],
        [''],
        [long(41)],
        Array.from({ length: MAX_ORDERS + 1 }, () => 'evasion-network'),
        // Well formed, but not a forecast the US may make: a move of its own, a move named twice.
        ['tighten-loophole'],
        ['evasion-network', 'evasion-network'],
        ['no-such-move'],
      ],
    },
  },
  'draft:unlock': { sender: 'us', valid: () => ({}), validAnswer: 'wrong-phase', required: false, wrong: {} },
  'chat:send': {
    sender: 'us',
    valid: () => ({ channel: 'us', text: 'hello team' }),
    validAnswer: 'ok',
    required: true,
    wrong: {
      channel: ['all', 'US', 1, null],
      text: ['', '   ', 5, long(MAX_CHAT_LENGTH + 1), long(20_000), null],
    },
  },
  'crisis:answer': {
    sender: 'us',
    valid: () => ({ choice: 'cooperate' }),
    validAnswer: 'wrong-phase',
    required: true,
    wrong: { choice: ['', 1, long(41), null, ['cooperate']] },
  },
  // The lead itself asks: it already leads.
  'team:takeLead': { sender: 'us', valid: () => ({}), validAnswer: 'locked', required: false, wrong: {} },
  'fac:start': { sender: 'fac', valid: () => ({}), validAnswer: 'wrong-phase', required: false, wrong: {} },
  'fac:pause': { sender: 'fac', valid: () => ({}), validAnswer: 'ok', required: false, wrong: {} },
  'fac:resume': { sender: 'fac', valid: () => ({}), validAnswer: 'wrong-phase', required: false, wrong: {} },
  'fac:advance': {
    sender: 'fac',
    valid: () => ({}),
    validAnswer: 'ok',
    required: false,
    wrong: {
      from: [
        null,
        'briefing',
        { phase: 'recess', round: 1 },
        { phase: 'orders' },
        { phase: 'orders', round: -1 },
        { phase: 'orders', round: 1.5 },
        { phase: 'orders', round: 1, extra: true },
      ],
    },
  },
  'fac:end': { sender: 'fac', valid: () => ({}), validAnswer: 'ok', required: false, wrong: {} },
  'fac:extend': {
    sender: 'fac',
    valid: () => ({ seconds: 60 }),
    validAnswer: 'ok',
    required: true,
    wrong: { seconds: [0, -5, 1.5, '60', MAX_DEADLINE_SECONDS + 1, null, Number.POSITIVE_INFINITY] },
  },
  'fac:broadcast': {
    sender: 'fac',
    valid: () => ({ text: 'Five minutes left.' }),
    validAnswer: 'ok',
    required: true,
    wrong: { text: ['', '   ', 3, long(MAX_CHAT_LENGTH + 1), null] },
  },
  'fac:setBot': {
    sender: 'fac',
    valid: () => ({ side: 'china', bot: 'cooperate' }),
    validAnswer: 'ok',
    required: true,
    wrong: { side: ['russia', 'US', 1, null], bot: ['', 5, long(41), ['cooperate']] },
  },
  'fac:setLead': {
    sender: 'fac',
    valid: (t) => ({ seatId: t.us.view?.you.seatId ?? '' }),
    validAnswer: 'ok',
    required: true,
    wrong: { seatId: ['', 5, null, long(41), ['x']] },
  },
  'fac:removeSeat': {
    sender: 'fac',
    valid: (t) => ({ seatId: t.cn.view?.you.seatId ?? '' }),
    validAnswer: 'ok',
    required: true,
    wrong: { seatId: ['', 5, null, long(41), ['x']] },
  },
  'fac:inject': {
    sender: 'fac',
    valid: () => ({ eventId: EVENT_DECK[0]?.id }),
    validAnswer: 'ok',
    required: true,
    wrong: { eventId: ['', 1, long(61), null, [EVENT_DECK[0]?.id]] },
  },
  'fac:adjust': {
    sender: 'fac',
    valid: () => ({ variable: 'trust', value: 40, note: 'the summit went well' }),
    validAnswer: 'ok',
    required: true,
    wrong: {
      variable: ['', 1, long(61), null],
      value: ['40', null, [40], { value: 40 }],
      note: ['', '   ', 1, long(MAX_CHAT_LENGTH + 1)],
    },
  },
};

/** A payload with an own `__proto__` key, as JSON.parse on the server would build it. */
function withProtoKey(valid: Payload): Payload {
  const rest = JSON.stringify(valid).slice(1);
  return JSON.parse(`{"__proto__":{"polluted":true}${rest === '}' ? '}' : `,${rest}`}`);
}

function malformed(c: Case, valid: Payload): { label: string; payload: Payload }[] {
  const list: { label: string; payload: Payload }[] = [
    { label: 'null', payload: null },
    { label: 'a number', payload: 42 },
    { label: 'a string', payload: 'hello' },
    { label: 'an array', payload: [valid] },
    { label: 'true', payload: true },
    { label: 'an unknown extra key', payload: { ...(valid as object), extra: 1 } },
    { label: 'an own __proto__ key', payload: withProtoKey(valid) },
    { label: 'an oversized unknown key', payload: { ...(valid as object), [long(5000)]: long(5000) } },
  ];
  if (c.required) list.push({ label: '{}', payload: {} });
  for (const [field, values] of Object.entries(c.wrong))
    for (const v of values) {
      const shown = JSON.stringify(v) ?? String(v);
      list.push({
        label: `${field} = ${shown.length > 40 ? `${shown.slice(0, 20)}… (${shown.length} chars)` : shown}`,
        payload: { ...(valid as object), [field]: v },
      });
    }
  return list;
}

/** A game in the orders phase of round 1, both leads and the facilitator connected. */
async function ordersTable(): Promise<Table> {
  const t = await table(fx);
  await t.fac.ok('fac:start');
  await advanceTo(t.fac, 'orders');
  await t.us.until((v) => v.phase === 'orders');
  return t;
}

/** A fresh socket for `sender`, so each batch of payloads has the whole rate-limit burst. */
async function senderSocket(t: Table, sender: Sender): Promise<Client> {
  if (sender === 'fac') return fx.resume(t.srv.url, t.facToken);
  if (sender === 'us') return fx.resume(t.srv.url, t.us.token);
  return fx.client(t.srv.url).connected();
}

async function healthy(t: Table): Promise<void> {
  const res = await fetch(`${t.srv.url}/healthz`);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ ok: true });
}

describe('every command refuses malformed payloads', () => {
  for (const name of Object.keys(commandSchemas) as CommandName[]) {
    it(`${name}: each malformed payload gets bad-payload and changes nothing`, async () => {
      const t = await ordersTable();
      const c = CASES[name];
      expect(c, `payloads.test.ts has no malformed-payload cases for ${name}`).toBeDefined();
      const before = seqOf(t.srv, t.code);
      const framesBefore = t.cn.frames.length;
      const list = malformed(c, c.valid(t));
      expect(list.length).toBeGreaterThanOrEqual(8);
      let sock = await senderSocket(t, c.sender);
      for (const [i, { label, payload }] of list.entries()) {
        // 20 commands a socket keeps well inside the rate limit.
        if (i > 0 && i % 20 === 0) sock = await senderSocket(t, c.sender);
        const ack = await sock.call(name, payload);
        expect(ack.ok, `${name} with ${label} was accepted`).toBe(false);
        if (!ack.ok) {
          expect(ack.code, `${name} with ${label}: ${ack.message}`).toBe('bad-payload');
          expect(ack.message.length).toBeGreaterThan(0);
        }
        expect(seqOf(t.srv, t.code), `${name} with ${label} changed the room`).toBe(before);
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(sock.socket.connected).toBe(true);
      await healthy(t);

      // No other client got a new view while the malformed payloads came in.
      expect(
        t.cn.frames.slice(framesBefore).every((f) => (f.args[0] as { seq?: number }).seq === before),
      ).toBe(true);

      // The schema is not refusing everything: a well-formed payload passes it.
      sock = await senderSocket(t, c.sender);
      const seqBeforeValid = seqOf(t.srv, t.code);
      const ack = await sock.call(name, c.valid(t));
      if (c.validAnswer === 'ok') expect(ack, `${name} with a valid payload`).toMatchObject({ ok: true });
      else expectRefused(ack, c.validAnswer, /./);
      const seq = seqOf(t.srv, t.code);
      // Every accepted command is one step of the room, except a resume, which changes nothing.
      expect(seq).toBe(seqBeforeValid + (ack.ok && name !== 'game:resume' ? 1 : 0));

      // And the server keeps answering ordinary commands on the same socket.
      if (c.sender === 'fac') await sock.ok('fac:broadcast', { text: 'still listening' });
      else await sock.ok('chat:send', { channel: 'public', text: 'still listening' });
      expect(seqOf(t.srv, t.code)).toBe(seq + 1);
      await healthy(t);
    });
  }
});

describe('frames over the size limit', () => {
  it('a frame over 64 KB gets its socket dropped while other clients carry on', async () => {
    const t = await table(fx);
    const big = await fx.resume(t.srv.url, t.us.token);
    let reason = '';
    big.socket.on('disconnect', (r) => {
      reason = r;
    });
    const before = seqOf(t.srv, t.code);
    let answered = false;
    big.socket.emit('chat:send', { channel: 'us', text: long(MAX_FRAME_BYTES + 1024) }, () => {
      answered = true;
    });
    await eventually(() => !big.socket.connected, 'the oversized socket to be dropped');
    expect(reason).toMatch(/transport (close|error)/);
    expect(answered).toBe(false);
    expect(seqOf(t.srv, t.code)).toBe(before);
    // The seat's other socket and the other team keep working.
    await t.us.ok('chat:send', { channel: 'us', text: 'after the big frame' });
    await t.cn.ok('chat:send', { channel: 'public', text: 'still here' });
    expect(seqOf(t.srv, t.code)).toBe(before + 2);
    const v = await t.us.until((x) => x.seq === before + 2);
    expect(v.chat.map((m) => m.text)).not.toContain(long(MAX_FRAME_BYTES + 1024));
  });

  it('a frame just under the limit is read and refused by its schema, the socket stays', async () => {
    const t = await table(fx);
    const before = seqOf(t.srv, t.code);
    const ack = await t.us.call('chat:send', { channel: 'us', text: long(MAX_FRAME_BYTES - 2048) });
    expectRefused(ack, 'bad-payload', /^text: /);
    expect(t.us.socket.connected).toBe(true);
    expect(seqOf(t.srv, t.code)).toBe(before);
    await t.us.ok('chat:send', { channel: 'us', text: 'short one' });
  });
});

function socketWithOrigin(url: string, origin: string, transports: ('websocket' | 'polling')[]): Socket {
  const s = io(url, { transports, forceNew: true, reconnection: false, extraHeaders: { origin } });
  sockets.push(s);
  return s;
}

function outcome(s: Socket): Promise<'connected' | Error> {
  return new Promise((resolve) => {
    s.once('connect', () => resolve('connected'));
    s.once('connect_error', (e) => resolve(e));
  });
}

/** Whether a connected socket's join as an observer is accepted: what a socket let in can do. */
async function joinsAsObserver(s: Socket, code: string, name: string): Promise<boolean> {
  const ack = (await s.timeout(10_000).emitWithAck('game:join', { code, name, role: 'observer' })) as {
    ok: boolean;
  };
  return ack.ok;
}

/** An engine.io polling handshake with a chosen Origin header, answered with its status. */
function pollingHandshake(url: string, origin: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/socket.io/?EIO=4&transport=polling`, { headers: { origin } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the Origin check on socket handshakes', () => {
  it('refuses a websocket from a foreign origin', async () => {
    const t = await table(fx);
    for (const origin of ['http://evil.example', `${t.srv.url}.evil.example`, 'null']) {
      const s = socketWithOrigin(t.srv.url, origin, ['websocket']);
      const r = await outcome(s);
      expect(r, origin).toBeInstanceOf(Error);
      expect(s.connected).toBe(false);
    }
  });

  it('accepts a websocket from the server’s own origin, which can then join', async () => {
    const t = await table(fx);
    const s = socketWithOrigin(t.srv.url, t.srv.url, ['websocket']);
    expect(await outcome(s)).toBe('connected');
    expect(await joinsAsObserver(s, t.code, 'Same Origin')).toBe(true);
  });

  it('refuses a polling handshake from a foreign origin and accepts one from its own', async () => {
    const t = await table(fx);
    expect(await pollingHandshake(t.srv.url, 'http://evil.example')).toBe(403);
    expect(await pollingHandshake(t.srv.url, t.srv.url)).toBe(200);
  });

  it('lets an origin listed in ALLOWED_ORIGINS open sockets beside the server’s own, and no other', async () => {
    const srv = await startServer({
      allowedOrigins: parseAllowedOrigins('https://Wargame.example.org/ , http://localhost:5173'),
    });
    try {
      const game = await createGame(srv.url, { scenarioId: 'classroom-short' });
      const listed = socketWithOrigin(srv.url, 'https://wargame.example.org', ['websocket']);
      expect(await outcome(listed)).toBe('connected');
      for (const origin of ['http://localhost:5173', srv.url])
        expect(await outcome(socketWithOrigin(srv.url, origin, ['websocket'])), origin).toBe('connected');
      for (const origin of ['https://other.example.org', 'http://wargame.example.org'])
        expect(await outcome(socketWithOrigin(srv.url, origin, ['websocket'])), origin).toBeInstanceOf(Error);
      expect(await pollingHandshake(srv.url, 'https://wargame.example.org')).toBe(200);
      expect(await pollingHandshake(srv.url, 'https://other.example.org')).toBe(403);
      // A socket from the listed origin is a full client: it can join.
      expect(await joinsAsObserver(listed, game.code, 'From the listed origin')).toBe(true);
    } finally {
      for (const s of sockets.splice(0)) s.disconnect();
      await srv.stop();
      removeDir(srv.dataDir);
    }
  });

  it('reads ALLOWED_ORIGINS as browsers send Origin, and refuses an entry that could never match, by name', () => {
    expect(parseAllowedOrigins(undefined)).toEqual([]);
    expect(parseAllowedOrigins(' , ')).toEqual([]);
    expect(parseAllowedOrigins('https://Example.org:443/,http://10.0.0.5:8080')).toEqual([
      'https://example.org',
      'http://10.0.0.5:8080',
    ]);
    expect(() => parseAllowedOrigins('wargame.example.org')).toThrow(
      /"wargame\.example\.org" is not an origin/,
    );
    expect(() => parseAllowedOrigins('ftp://example.org')).toThrow(
      /"ftp:\/\/example\.org" must start with http/,
    );
    expect(() => parseAllowedOrigins('https://example.org/game')).toThrow(
      /no path, query or user\), e\.g\. https:\/\/example\.org/,
    );
  });
});
