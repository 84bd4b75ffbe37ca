import { gzipSync } from 'node:zlib';
import type { Rng } from './fuzz-rng.ts';
import { deepNest, setOwn, weirdKey, weirdValue } from './fuzz-values.ts';

/**
 * The HTTP side of the fuzzer: one request as data. Paths and headers hold `{{name}}` where a
 * live value belongs (a room code, a token), filled in when the request is sent, so a seed always
 * yields the same requests.
 */
export type HttpRoute =
  | 'healthz'
  | 'create'
  | 'info'
  | 'qr'
  | 'export'
  | 'fork'
  | 'static'
  | 'unknown'
  | 'socket.io'
  | 'raw';

export interface HttpCase {
  route: HttpRoute;
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Bytes written straight to a TCP socket instead of a well-formed request. */
  raw?: string;
  /** 'ok': must succeed; 'error': must be refused; 'either': any documented answer. */
  expect: 'ok' | 'error' | 'either';
}

/** What `{{name}}` stands for: an unstarted game, an ended game and one of the socket-fuzzed games. */
export type HttpRefs = Record<
  'live' | 'ended' | 'fuzzed' | 'liveFac' | 'liveSeat' | 'endedFac' | 'endedSeat' | 'fuzzedFac',
  string
>;

export function fillHttp(s: string, refs: HttpRefs): string {
  return s.replace(/\{\{(\w+)\}\}/g, (m, k: string) => (k in refs ? refs[k as keyof HttpRefs] : m));
}

const ODD_CODES: [string, 'ok' | 'error' | 'either'][] = [
  ['{{live}}', 'ok'],
  ['{{ended}}', 'ok'],
  ['{{fuzzed}}', 'ok'],
  ['ZZZZZZ', 'error'],
  ['A', 'error'],
  ['A'.repeat(1000), 'error'],
  ['%00', 'error'],
  ['%E0%A4%A', 'error'],
  ['%FF%FE', 'error'],
  ['%', 'error'],
  ['..', 'error'],
  ['%2e%2e', 'error'],
  ['%2F', 'error'],
  ['%3Cscript%3Ealert(1)%3C%2Fscript%3E', 'error'],
  ['%F0%9F%98%80%F0%9F%98%80%F0%9F%98%80', 'error'],
  ['__proto__', 'error'],
  ['constructor', 'error'],
  ['hasOwnProperty', 'error'],
  ['null', 'error'],
  ['%20%20%20%20%20%20', 'error'],
];

const VALID_BODIES: unknown[] = [
  {},
  { scenarioId: 'classroom-short', rounds: 2 },
  { scenarioId: 'baseline-2026', rounds: 1, bots: { us: 'adaptive', china: null } },
  { deadlines: { briefing: 60, negotiation: 604_800 } },
];

function wrongBody(rng: Rng): unknown {
  const base = { ...(rng.pick(VALID_BODIES) as Record<string, unknown>) };
  switch (rng.int(0, 9)) {
    case 0:
      return { ...base, rounds: rng.pick([0, 13, 1.5, '6', null, -1, 1e308, [6], { n: 6 }]) };
    case 1:
      return { ...base, scenarioId: rng.pick(['x', 5, null, '', 'CLASSROOM-SHORT', ['baseline-2026']]) };
    case 2:
      return {
        ...base,
        deadlines: rng.pick([
          59,
          [],
          '60',
          { briefing: 59 },
          { orders: 604_801 },
          { foo: 60 },
          { crisis: 'x' },
        ]),
      };
    case 3:
      return {
        ...base,
        bots: rng.pick([
          { us: 'hawk' },
          { us: 'cooperate' },
          { china: 'ease' },
          { us: 5 },
          { us: 'x'.repeat(41) },
          { both: 'adaptive' },
          'adaptive',
        ]),
      };
    case 4: {
      const o = { ...base };
      setOwn(o, weirdKey(rng), weirdValue(rng));
      return o;
    }
    case 5:
      return JSON.parse(rng.pick(['{"__proto__":{"rounds":6}}', '{"constructor":{"prototype":{}}}']));
    case 6:
      return rng.pick([null, [], [{}], 'game', 42, true]);
    case 7:
      return { ...base, [rng.pick(['code', 'facilitatorToken', 'id', 'rng'])]: 'AAAAAA' };
    case 8:
      return deepNest(rng.int(100, 4000));
    default:
      // In a list, so that a value that happens to be {} is not a valid body.
      return [weirdValue(rng)];
  }
}

const BAD_JSON = [
  '{',
  '{"rounds":',
  "{'rounds':6}",
  '{"rounds":6}}',
  '{"rounds":6,}',
  '\u0000',
  ' ',
  'NaN',
  'undefined',
  '{"rounds":0x10}',
  '{"a":"\\ud800"}',
  '{"a":1}{"b":2}',
];

const json = (v: unknown) => Buffer.from(JSON.stringify(v) ?? 'null');

// Compressed bodies are made once: a gzip of 2 MB is too slow to make per request.
const GZIP = {
  valid: gzipSync(json({ rounds: 1 })),
  invalid: gzipSync(json({ rounds: 99 })),
  twice: gzipSync(gzipSync(json({}))),
  // A small gzip that inflates far past the 16 KB body limit.
  bomb: gzipSync(Buffer.from(`{"x":"${'a'.repeat(2_000_000)}"}`)),
};

function createCase(rng: Rng): HttpCase {
  const jsonType = { 'content-type': 'application/json' };
  const c = (
    label: string,
    body: Buffer | undefined,
    headers: Record<string, string>,
    expect: HttpCase['expect'],
  ) => ({
    route: 'create' as const,
    label,
    method: 'POST',
    path: rng.chance(0.9) ? '/api/games' : `/api/games?rounds=${rng.int(0, 20)}`,
    headers,
    body,
    expect,
  });
  switch (
    rng.weighted<string>([
      [1, 'valid'],
      [30, 'wrong-fields'],
      [12, 'bad-json'],
      [12, 'content-type'],
      [8, 'encoding'],
      [6, 'huge'],
      [3, 'host'],
    ])
  ) {
    case 'valid':
      return c('valid', json(rng.pick(VALID_BODIES)), jsonType, 'ok');
    case 'wrong-fields':
      return c('wrong-fields', json(wrongBody(rng)), jsonType, 'error');
    case 'bad-json':
      return c('bad-json', Buffer.from(rng.pick(BAD_JSON)), jsonType, 'error');
    case 'content-type': {
      const [type, body, expect] = rng.pick<[string | null, Buffer, HttpCase['expect']]>([
        [null, json({}), 'error'],
        ['text/plain', json({}), 'error'],
        ['application/x-www-form-urlencoded', Buffer.from('rounds=6&scenarioId=x'), 'error'],
        ['multipart/form-data; boundary=xx', Buffer.from('--xx\r\n\r\n{}\r\n--xx--'), 'error'],
        ['application/json; charset=utf-16', json({}), 'either'],
        ['application/json; charset=latin1', json({}), 'either'],
        ['application/json; charset=utf-8', json(wrongBody(rng)), 'error'],
        ['APPLICATION/JSON', json(wrongBody(rng)), 'error'],
        ['application/vnd.api+json', json({}), 'either'],
        ['application/json, text/html', json({}), 'either'],
        ['', json({}), 'error'],
        ['application/json; boundary=;;;;', json({ rounds: 'x' }), 'error'],
      ]);
      return c(`content-type ${type ?? 'none'}`, body, type === null ? {} : { 'content-type': type }, expect);
    }
    case 'encoding': {
      const [enc, body, expect] = rng.pick<[string, Buffer, HttpCase['expect']]>([
        ['gzip', GZIP.valid, 'either'],
        ['gzip', GZIP.invalid, 'error'],
        ['gzip', Buffer.from('not gzip at all'), 'error'],
        ['deflate', Buffer.from('not deflate'), 'error'],
        ['br', Buffer.from('not brotli'), 'error'],
        ['xyz', json({}), 'error'],
        ['identity', json({ rounds: 0 }), 'error'],
        ['gzip, gzip', GZIP.twice, 'either'],
        ['gzip', GZIP.bomb, 'error'],
      ]);
      return c(`encoding ${enc}`, body, { ...jsonType, 'content-encoding': enc }, expect);
    }
    case 'huge': {
      const n = rng.pick([16 * 1024 - 20, 16 * 1024 + 1, 100_000, 1_000_000]);
      return c(
        `huge ${n}`,
        Buffer.from(`{"scenarioId":"${'s'.repeat(Math.max(0, n - 20))}"}`),
        jsonType,
        'error',
      );
    }
    default:
      return c(
        'odd host',
        json({ rounds: 1 }),
        { ...jsonType, host: rng.pick(['evil.example', '<script>', 'a'.repeat(300), '[::1]:1']) },
        'either',
      );
  }
}

const FORMATS: [string, boolean][] = [
  ['format=json', true],
  ['format=md', true],
  ['format=csv', true],
  ['', true],
  ['format=', false],
  ['format=xml', false],
  ['format=JSON', false],
  ['format=json%00', false],
  ['format[]=json', true],
  ['format=json&format=md', false],
  // Express reads the query with the plain parser: `format[a]` is another parameter, so json.
  ['format[a]=1', true],
  [`format=${'j'.repeat(3000)}`, false],
  ['format=%E0%A4%A', false],
];

function exportCase(rng: Rng): HttpCase {
  const game = rng.pick(['live', 'ended', 'fuzzed'] as const);
  const [query, validFormat] = rng.pick(FORMATS);
  const [label, auth, viaQuery, allowed] = rng.pick<[string, string | null, string | null, boolean | null]>([
    ['facilitator', `Bearer {{${game}Fac}}`, null, true],
    ['seat', `Bearer {{${game === 'ended' ? 'endedSeat' : 'liveSeat'}}}`, null, game === 'ended'],
    ['other facilitator', `Bearer {{${game === 'live' ? 'endedFac' : 'liveFac'}}}`, null, false],
    ['query token', null, `{{${game}Fac}}`, true],
    ['query token array', null, null, false],
    ['empty bearer', 'Bearer ', null, false],
    // The scheme's name is case-insensitive (RFC 9110).
    ['lowercase bearer', `bearer {{${game}Fac}}`, null, true],
    ['basic', 'Basic dXNlcjpwYXNz', null, false],
    ['forged', `Bearer ${rng.str(24, 'ABCDEFabcdef0123456789_-')}`, null, false],
    ['long token', `Bearer ${'t'.repeat(5000)}`, null, false],
    ['no token', null, null, false],
    ['odd bytes', 'Bearer \u00ff\u00fe', null, false],
  ]);
  const code = game === 'fuzzed' ? '{{fuzzed}}' : `{{${game}}}`;
  const fuzzedFac = game === 'fuzzed' ? '{{fuzzedFac}}' : null;
  const params = [query];
  if (viaQuery) params.push(`token=${fuzzedFac ?? viaQuery}`);
  if (label === 'query token array') params.push('token[]=x&token[]=y');
  const headers: Record<string, string> = {};
  if (auth) headers.authorization = fuzzedFac && label === 'facilitator' ? `Bearer ${fuzzedFac}` : auth;
  const expect = allowed === true && validFormat ? 'ok' : 'error';
  return {
    route: 'export',
    label: `export ${label}${validFormat ? '' : ' bad format'}`,
    method: rng.chance(0.05) ? 'HEAD' : 'GET',
    path: `/api/games/${code}/export?${params.filter(Boolean).join('&')}`,
    headers,
    expect,
  };
}

/** POST /api/games/:code/fork: who asks, with what body (a game in its lobby has no round to fork). */
function forkCase(rng: Rng): HttpCase {
  const game = rng.pick(['live', 'ended', 'fuzzed'] as const);
  const [who, auth, allowed] = rng.pick<[string, string | null, boolean]>([
    ['facilitator', `Bearer {{${game}Fac}}`, true],
    ['seat', `Bearer {{${game === 'ended' ? 'endedSeat' : 'liveSeat'}}}`, false],
    ['other facilitator', `Bearer {{${game === 'live' ? 'endedFac' : 'liveFac'}}}`, false],
    ['forged', `Bearer ${rng.str(24, 'ABCDEFabcdef0123456789_-')}`, false],
    ['no token', null, false],
  ]);
  const [what, body, valid] = rng.pick<[string, Buffer, boolean]>([
    ['round 1', json({ round: 1 }), true],
    ['round 4', json({ round: 4 }), true],
    ['round 0', json({ round: 0 }), false],
    ['round 13', json({ round: 13 }), false],
    ['round as text', json({ round: '1' }), false],
    ['no round', json({}), false],
    ['extra field', json({ round: 1, seed: 'x' }), false],
    ['an array', json([{ round: 1 }]), false],
    ['bad json', Buffer.from('{"round":'), false],
    ['huge', Buffer.from(`{"round":1,"x":"${'x'.repeat(100_000)}"}`), false],
  ]);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (auth) headers.authorization = auth;
  return {
    route: 'fork',
    label: `fork ${who} ${what}`,
    method: 'POST',
    path: `/api/games/{{${game}}}/fork`,
    headers,
    body,
    // A facilitator's valid fork succeeds only for a round its game has reached.
    expect: allowed && valid ? 'either' : 'error',
  };
}

const STATIC_PATHS: [string, HttpCase['expect']][] = [
  ['/', 'ok'],
  ['/index.html', 'ok'],
  ['/assets/nope.js', 'error'],
  ['/favicon.ico', 'either'],
  ['/assets/..%2f..%2fpackage.json', 'error'],
  ['/..%2f..%2fpackage.json', 'error'],
  ['/%2e%2e/%2e%2e/etc/passwd', 'error'],
  ['/assets/%2e%2e/%2e%2e/server/index.mjs', 'error'],
  ['/.env', 'error'],
  ['/.git/config', 'error'],
  ['/%E0%A4%A', 'error'],
  ['/assets/%E0%A4%A', 'error'],
  ['/index.html%00.js', 'error'],
  ['//etc/passwd', 'error'],
  ['/node_modules/express/package.json', 'error'],
  ['/dist/server/index.mjs', 'error'],
  ['/hotline.sqlite', 'error'],
  [`/${'a'.repeat(4000)}`, 'error'],
];

const UNKNOWN: [string, string][] = [
  ['GET', '/api'],
  ['GET', '/api/'],
  ['GET', '/api/games'],
  ['DELETE', '/api/games/{{live}}'],
  ['PUT', '/api/games/{{live}}'],
  ['PATCH', '/api/games/{{live}}'],
  ['POST', '/api/games/{{live}}'],
  ['POST', '/api/games/{{live}}/export?format=json'],
  ['GET', '/api/games/{{live}}/nope'],
  ['GET', '/api/games/{{live}}/export/extra'],
  ['GET', '/api/games/{{live}}/qr.png'],
  ['OPTIONS', '/api/games'],
  ['OPTIONS', '*'],
  ['TRACE', '/api/games'],
  ['PROPFIND', '/'],
  ['GET', '/admin'],
  ['DELETE', '/healthz'],
  ['POST', '/healthz'],
];

const SOCKET_IO: [string, string][] = [
  ['GET', '/socket.io/'],
  ['GET', '/socket.io/?EIO=3&transport=polling'],
  ['GET', '/socket.io/?EIO=4&transport=nope'],
  ['GET', '/socket.io/?EIO=4&transport=polling&sid=bogus'],
  ['POST', '/socket.io/?EIO=4&transport=polling&sid=bogus'],
  ['GET', '/socket.io/?EIO=4&transport=websocket'],
  ['PUT', '/socket.io/?EIO=4&transport=polling'],
  ['GET', '/socket.io'],
];

const RAW_REQUESTS: [string, string][] = [
  ['garbage', 'GARBAGE\r\n\r\n'],
  ['bad version', 'GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n'],
  ['unknown method', 'FOO /api/games HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['bad content-length', 'POST /api/games HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n'],
  ['header without colon', 'GET /healthz HTTP/1.1\r\nHost x\r\n\r\n'],
  [
    'chunked and length',
    'POST /api/games HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n',
  ],
  [
    'bad chunk',
    'POST /api/games HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
  ],
  ['nul in path', 'GET /\u0000 HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['huge header', `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`],
  ['space in path', 'GET /api games HTTP/1.1\r\nHost: x\r\n\r\n'],
];

/** The next HTTP request of the fuzzer. */
export function nextHttpCase(rng: Rng): HttpCase {
  const route = rng.weighted<HttpRoute>([
    [4, 'healthz'],
    [30, 'create'],
    [16, 'info'],
    [6, 'qr'],
    [14, 'export'],
    [4, 'fork'],
    [12, 'static'],
    [10, 'unknown'],
    [2, 'socket.io'],
    [2, 'raw'],
  ]);
  const get = (label: string, path: string, expect: HttpCase['expect'], method = 'GET'): HttpCase => ({
    route,
    label,
    method,
    path,
    headers: {},
    expect,
  });
  switch (route) {
    case 'healthz':
      return rng.chance(0.8)
        ? get('healthz', rng.pick(['/healthz', '/healthz?x=1', '/healthz/']), 'ok', rng.pick(['GET', 'HEAD']))
        : get('healthz odd method', '/healthz', 'error', rng.pick(['POST', 'PUT', 'DELETE', 'PATCH']));
    case 'create':
      return createCase(rng);
    case 'info':
    case 'qr': {
      const [code, expect] = rng.pick(ODD_CODES);
      const tail = route === 'qr' ? '/qr.svg' : rng.pick(['', '', '/', `?code=${rng.str(6)}`]);
      return get(
        `${route} ${expect === 'ok' ? 'known' : 'odd'} code`,
        `/api/games/${code}${tail}`,
        expect,
        rng.chance(0.1) ? 'HEAD' : 'GET',
      );
    }
    case 'export':
      return exportCase(rng);
    case 'fork':
      return forkCase(rng);
    case 'static': {
      const [path, expect] = rng.pick(STATIC_PATHS);
      return get('static', path, expect);
    }
    case 'unknown': {
      const [method, path] = rng.pick(UNKNOWN);
      return get(`unknown ${method}`, path, method === 'OPTIONS' ? 'either' : 'error', method);
    }
    case 'socket.io': {
      const [method, path] = rng.pick(SOCKET_IO);
      return get(`socket.io ${method}`, path, 'either', method);
    }
    default: {
      const [label, raw] = rng.pick(RAW_REQUESTS);
      return {
        route: 'raw',
        label: `raw ${label}`,
        method: 'RAW',
        path: '',
        headers: {},
        raw,
        expect: 'error',
      };
    }
  }
}
