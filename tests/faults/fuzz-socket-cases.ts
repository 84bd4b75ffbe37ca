import { CHINA_BOTS, US_BOTS } from '../../shared/bots/index.ts';
import { type CommandName, commandSchemas } from '../../shared/protocol/events.ts';
import { CHANNELS, MAX_CHAT_LENGTH, MAX_NAME_LENGTH } from '../../shared/protocol/room.ts';
import { EVENT_IDS } from '../../shared/rules/events.ts';
import { AGREEMENT_TYPES, LOOPHOLES } from '../../shared/rules/ids.ts';
import { MOVE_CATALOGUE } from '../../shared/rules/moves.ts';
import { MAX_ORDERS, MAX_RATIONALE } from '../../shared/rules/orders.ts';
import type { Rng } from './fuzz-rng.ts';
import { deepNest, type RefName, ref, setOwn, weirdKey, weirdValue } from './fuzz-values.ts';

/**
 * The socket side of the fuzzer: what one lane sends next, as data. Payloads hold `Ref`s where a
 * live value belongs (a room code, a token, the draft version), so a seed always yields the same
 * sequence of cases.
 */
export const EVENTS = Object.keys(commandSchemas) as CommandName[];

/** Events no handler listens to, including the server's own push events and reserved-looking names. */
export const UNKNOWN_EVENTS = [
  'game:update',
  'game:snapshot',
  'server:restarting',
  'fac:kick',
  'game:delete',
  'draft:Set',
  'GAME:JOIN',
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'error',
  'ping',
  '',
  ' ',
  'x'.repeat(5000),
] as const;

export type SocketCase =
  | {
      kind: 'command';
      /** What made it: valid, mutated, non-object, boundary, unknown-event, no-ack, extra-args, binary. */
      label: string;
      event: string;
      /** The arguments before the acknowledgement callback (normally one payload). */
      args: unknown[];
      ack: boolean;
    }
  | { kind: 'replay'; label: 'replay'; back: number }
  | { kind: 'raw'; label: string; frame: string; level: 'engine' | 'socket.io' }
  | { kind: 'oversize'; label: string; bytes: number; over: boolean; shape: 'text' | 'orders' | 'binary' }
  | { kind: 'flood'; label: 'flood'; count: number };

const US_BOT_IDS = US_BOTS.map((b) => b.id);
const CHINA_BOT_IDS = CHINA_BOTS.map((b) => b.id);
const MOVE_IDS = MOVE_CATALOGUE.map((m) => m.id);
const VARIABLES = [
  'risk',
  'trust',
  'alliedAlignment',
  'loophole.cloud.openness',
  'loophole.smuggling.evasion',
  'us.capability',
  'china.capability',
  'us.budget',
  'china.compute',
];
const TOKEN_REFS: RefName[] = [
  'token.fac',
  'token.usLead',
  'token.usMember',
  'token.chinaLead',
  'token.chinaMember',
  'token.observer',
  'token.otherGame',
];

function order(rng: Rng): Record<string, unknown> {
  const o: Record<string, unknown> = { move: rng.pick(MOVE_IDS) };
  if (rng.chance(0.3)) o.loophole = rng.pick(LOOPHOLES);
  if (rng.chance(0.2)) o.agreement = rng.pick(AGREEMENT_TYPES);
  if (rng.chance(0.1)) o.agreementId = rng.str(rng.int(1, 12));
  if (rng.chance(0.2)) o.scope = rng.pick(['safety', 'broad']);
  if (rng.chance(0.5)) o.rationale = rng.str(rng.int(0, 60), 'abc def ghi<>&"\'');
  return o;
}

const orders = (rng: Rng) => Array.from({ length: rng.int(0, 4) }, () => order(rng));
const text = (rng: Rng) => rng.str(rng.int(1, 80), 'abcdefghij klmnop <b>&;=+-@');
const name = (rng: Rng) => rng.str(rng.int(1, 20), 'ABCDEFGHabcdefgh 0123-_.');

/** A payload the event's schema accepts (it may still be refused: wrong phase, wrong seat, stale). */
export function validPayload(event: CommandName, rng: Rng): Record<string, unknown> {
  switch (event) {
    case 'game:join':
      return {
        code: ref(rng.pick(['code', 'code', 'code.lower', 'code.other'] as const)),
        name: name(rng),
        role: rng.pick(['us', 'china', 'observer']),
      };
    case 'game:resume':
      return rng.chance(0.5)
        ? { token: ref(rng.pick(TOKEN_REFS)) }
        : { token: ref(rng.pick(TOKEN_REFS)), lastSeq: rng.chance(0.5) ? ref('seq') : rng.int(0, 50) };
    case 'draft:set':
      return { baseVersion: ref(rng.chance(0.8) ? 'version' : 'version.next'), orders: orders(rng) };
    case 'draft:lock':
      return { baseVersion: ref(rng.chance(0.8) ? 'version' : 'version.next') };
    case 'chat:send':
      return { channel: rng.pick(CHANNELS), text: text(rng) };
    case 'crisis:answer':
      return { choice: ref(rng.chance(0.8) ? 'choice' : 'choice.otherSide') };
    case 'fac:extend':
      return { seconds: rng.int(1, 3600) };
    case 'fac:broadcast':
      return { text: text(rng) };
    case 'fac:setBot': {
      const side = rng.pick(['us', 'china'] as const);
      return { side, bot: rng.chance(0.4) ? null : rng.pick(side === 'us' ? US_BOT_IDS : CHINA_BOT_IDS) };
    }
    case 'fac:setLead':
    case 'fac:removeSeat':
      // Seat ids are not among the lane's references: an unknown one is refused as not-found.
      return { seatId: rng.str(rng.int(1, 12), 'abcdefXYZ_-0123') };
    case 'fac:inject':
      return { eventId: rng.pick(EVENT_IDS) };
    case 'fac:adjust':
      return { variable: rng.pick(VARIABLES), value: rng.int(0, 100) / 10, note: text(rng) };
    default:
      return {};
  }
}

/** One to three changes that break a valid payload: a field dropped, added, or of the wrong type. */
function mutate(p: Record<string, unknown>, rng: Rng): unknown {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) setOwn(out, k, v);
  for (let n = rng.int(1, 3); n > 0; n--) {
    const keys = Object.keys(out);
    const what = rng.int(0, keys.length ? 4 : 1);
    if (what <= 1) setOwn(out, weirdKey(rng), weirdValue(rng));
    else if (what === 2) delete out[rng.pick(keys)];
    else {
      const k = rng.pick(keys);
      const v = out[k];
      // Orders get their own damage: a broken order inside an otherwise fine list.
      if (k === 'orders' && Array.isArray(v) && rng.chance(0.5)) {
        const list = [...v, order(rng)];
        const i = rng.int(0, list.length - 1);
        const o = { ...(list[i] as Record<string, unknown>) };
        if (rng.chance(0.5))
          setOwn(o, rng.pick(['move', 'loophole', 'agreement', 'scope', 'rationale']), weirdValue(rng));
        else setOwn(o, weirdKey(rng), weirdValue(rng));
        list[i] = rng.chance(0.1) ? weirdValue(rng) : o;
        out[k] = list;
      } else out[k] = weirdValue(rng);
    }
  }
  return out;
}

/** Values at and just past each documented limit. */
function boundary(event: CommandName, rng: Rng): unknown {
  const v = validPayload(event, rng);
  const edge = (max: number) => rng.pick([max, max + 1, 0]);
  switch (event) {
    case 'game:join':
      return rng.pick([
        { ...v, name: 'n'.repeat(edge(MAX_NAME_LENGTH)) },
        { ...v, name: ' '.repeat(rng.int(1, 5)) },
        { ...v, code: 'A'.repeat(rng.pick([5, 6, 7])) },
        { ...v, role: rng.pick(['facilitator', 'US', 'system', 'observer ']) },
      ]);
    case 'game:resume':
      return rng.pick([
        { token: 'a'.repeat(rng.pick([20, 21, 64, 65])) },
        { token: ref('token.usLead'), lastSeq: rng.pick([-1, 0.5, 2 ** 53, 1e300]) },
        { token: 'a'.repeat(23) + rng.pick(['!', ' ', '/', '=']) },
      ]);
    case 'draft:set':
      return rng.pick([
        { ...v, orders: Array.from({ length: rng.pick([MAX_ORDERS, MAX_ORDERS + 1]) }, () => order(rng)) },
        { ...v, orders: [{ move: 'safety-research', rationale: 'r'.repeat(edge(MAX_RATIONALE)) }] },
        { ...v, orders: [{ move: 'm'.repeat(rng.pick([40, 41])) }] },
        { ...v, baseVersion: rng.pick([-1, 0.5, 2 ** 53]) },
        { ...v, orders: deepNest(rng.int(50, 2000)) },
      ]);
    case 'draft:lock':
      return { baseVersion: rng.pick([-1, 0.5, 2 ** 53, 1e308]) };
    case 'chat:send':
      return rng.pick([
        { ...v, text: 't'.repeat(edge(MAX_CHAT_LENGTH)) },
        { ...v, text: ' \n\t '.repeat(rng.int(1, 10)) },
        { ...v, channel: rng.pick(['Public', 'team', 'all', 'us ']) },
      ]);
    case 'crisis:answer':
      return { choice: rng.pick(['', 'c'.repeat(40), 'c'.repeat(41), 'cooperate', 'defect']) };
    case 'fac:extend':
      return { seconds: rng.pick([0, 1, 604_800, 604_801, -1, 1.5]) };
    case 'fac:broadcast':
      return { text: 'b'.repeat(edge(MAX_CHAT_LENGTH)) };
    case 'fac:setBot':
      return {
        side: rng.pick(['us', 'china', 'both']),
        bot: rng.pick(['', 'b'.repeat(41), 'hawk', 'adaptive']),
      };
    case 'fac:inject':
      return { eventId: rng.pick(['', 'e'.repeat(60), 'e'.repeat(61), 'no-such-event']) };
    case 'fac:adjust':
      return rng.pick([
        { ...v, variable: 'v'.repeat(rng.pick([60, 61])) },
        { ...v, value: rng.pick([-1e9, 1e9, Number.NaN, -0]) },
        { ...v, note: rng.pick(['', '   ', 'n'.repeat(MAX_CHAT_LENGTH + 1)]) },
        { variable: 'risk', value: 1e6, note: 'out of bounds' },
      ]);
    default:
      return rng.pick([{ extra: 1 }, { '': '' }, JSON.parse('{"__proto__":{"role":"facilitator"}}')]);
  }
}

const NON_OBJECTS = (rng: Rng): unknown =>
  rng.pick<unknown>([
    null,
    0,
    -1,
    42.5,
    '',
    'payload',
    'x'.repeat(2000),
    true,
    false,
    [],
    [{}],
    [1, 2, 3],
    deepNest(rng.int(10, 500)),
    Number.NaN,
  ]);

/**
 * Malformed frames below the event layer. `socket.io` frames are socket.io packets the parser
 * must refuse (bad JSON, bad types, reserved event names, lying attachment counts); `engine`
 * frames are not even engine.io packets.
 */
const RAW_FRAMES: { level: 'engine' | 'socket.io'; frame: string; label: string }[] = [
  { level: 'socket.io', frame: '2{bad json', label: 'bad-json' },
  { level: 'socket.io', frame: '2["chat:send",', label: 'truncated' },
  { level: 'socket.io', frame: '2[]', label: 'empty-event' },
  { level: 'socket.io', frame: '2[42,{}]', label: 'numeric-event-name' },
  { level: 'socket.io', frame: '2[null,{}]', label: 'null-event-name' },
  { level: 'socket.io', frame: '2"chat:send"', label: 'string-packet' },
  { level: 'socket.io', frame: '2{"0":"chat:send"}', label: 'object-packet' },
  { level: 'socket.io', frame: '2["disconnect"]', label: 'reserved-disconnect' },
  { level: 'socket.io', frame: '2["connect",{}]', label: 'reserved-connect' },
  { level: 'socket.io', frame: '2["newListener","game:join"]', label: 'reserved-newListener' },
  { level: 'socket.io', frame: '9', label: 'unknown-type' },
  { level: 'socket.io', frame: '', label: 'empty' },
  { level: 'socket.io', frame: '3[]', label: 'stray-ack' },
  { level: 'socket.io', frame: '399999999999999999999[]', label: 'stray-ack-huge-id' },
  { level: 'socket.io', frame: '2/nowhere,["game:join",{}]', label: 'unknown-namespace' },
  { level: 'socket.io', frame: '0/admin,{}', label: 'connect-unknown-namespace' },
  { level: 'socket.io', frame: '0{}', label: 'second-connect' },
  { level: 'socket.io', frame: '1', label: 'client-disconnect' },
  {
    level: 'socket.io',
    frame: '51-["chat:send",{"_placeholder":true,"num":7}]',
    label: 'attachment-missing',
  },
  { level: 'socket.io', frame: '5999999999-["chat:send",{}]', label: 'attachment-count-huge' },
  { level: 'socket.io', frame: '5-1-["chat:send",{}]', label: 'attachment-count-negative' },
  { level: 'socket.io', frame: '2abc["chat:send",{}]', label: 'bad-ack-id' },
  {
    level: 'socket.io',
    frame: `2["chat:send",${'['.repeat(20_000)}0${']'.repeat(20_000)}]`,
    label: 'deep-nesting',
  },
  { level: 'engine', frame: 'x', label: 'engine-garbage' },
  { level: 'engine', frame: '', label: 'engine-empty' },
  { level: 'engine', frame: '9hello', label: 'engine-unknown-type' },
  { level: 'engine', frame: '1', label: 'engine-close' },
  { level: 'engine', frame: '5', label: 'engine-upgrade-again' },
  { level: 'engine', frame: 'b4AAAA', label: 'engine-base64' },
];

/** The next case of a lane. */
export function nextSocketCase(rng: Rng): SocketCase {
  const kind = rng.weighted<string>([
    [40, 'mutated'],
    [16, 'valid'],
    [8, 'non-object'],
    [8, 'boundary'],
    [5, 'unknown-event'],
    [6, 'no-ack'],
    [4, 'extra-args'],
    [6, 'replay'],
    [2, 'binary'],
    [1.5, 'raw'],
    [1, 'oversize-under'],
    [0.7, 'oversize-over'],
    [0.05, 'flood'],
  ]);
  // Ending a fuzzed game stops every phase-bound command from being tried, so it is made rarer.
  const drawn = rng.pick(EVENTS);
  const event: CommandName = drawn === 'fac:end' && rng.chance(0.85) ? 'fac:advance' : drawn;
  const command = (label: string, args: unknown[], ack = true, ev: string = event): SocketCase => ({
    kind: 'command',
    label,
    event: ev,
    args,
    ack,
  });
  switch (kind) {
    case 'valid':
      return command('valid', [validPayload(event, rng)]);
    case 'mutated':
      return command('mutated', [mutate(validPayload(event, rng), rng)]);
    case 'non-object':
      return rng.chance(0.15) ? command('no-payload', []) : command('non-object', [NON_OBJECTS(rng)]);
    case 'boundary':
      return command('boundary', [boundary(event, rng)]);
    case 'unknown-event':
      return command('unknown-event', [validPayload(event, rng)], true, rng.pick(UNKNOWN_EVENTS));
    case 'no-ack':
      return command(
        'no-ack',
        [rng.chance(0.5) ? validPayload(event, rng) : mutate(validPayload(event, rng), rng)],
        false,
      );
    case 'extra-args':
      return command('extra-args', [
        validPayload(event, rng),
        ...Array.from({ length: rng.int(1, 3) }, () => weirdValue(rng)),
      ]);
    case 'replay':
      return { kind: 'replay', label: 'replay', back: rng.int(1, 3) };
    case 'binary':
      return command('binary', [
        rng.chance(0.5)
          ? Buffer.from(rng.str(rng.int(0, 200)))
          : { ...validPayload(event, rng), blob: Buffer.alloc(rng.int(1, 4000), 7) },
      ]);
    case 'raw': {
      const r = rng.pick(RAW_FRAMES);
      return { kind: 'raw', ...r };
    }
    case 'oversize-under':
    case 'oversize-over': {
      const over = kind === 'oversize-over';
      const bytes = over ? rng.pick([65_600, 70_000, 200_000, 1_000_000]) : rng.int(60_000, 65_300);
      const shape = rng.pick(['text', 'text', 'orders', 'binary'] as const);
      return { kind: 'oversize', label: kind, bytes, over, shape };
    }
    default:
      return { kind: 'flood', label: 'flood', count: 120 };
  }
}
