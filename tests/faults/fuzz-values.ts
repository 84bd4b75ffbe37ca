import type { Rng } from './fuzz-rng.ts';

/**
 * A value the lane fills in when it sends a payload (a room code, a token, the draft's version),
 * so the generated sequence is the same for a seed whatever codes and tokens the server hands out.
 */
export type RefName =
  | 'code'
  | 'code.lower'
  | 'code.other'
  | 'token.fac'
  | 'token.usLead'
  | 'token.usMember'
  | 'token.chinaLead'
  | 'token.chinaMember'
  | 'token.observer'
  | 'token.otherGame'
  | 'version'
  | 'version.next'
  | 'choice'
  | 'choice.otherSide'
  | 'seq';

export class Ref {
  constructor(readonly ref: RefName) {}
  toJSON(): unknown {
    return { $ref: this.ref };
  }
}

export const ref = (name: RefName) => new Ref(name);

/** Sets an own property even for `__proto__`, which plain assignment would treat as the prototype. */
export function setOwn(o: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Refs and buffers sit near the top of a payload; below this the (possibly very deep) rest is left alone. */
const SHALLOW = 32;

/** Replaces every Ref in a payload by `resolve(ref)`; everything else is copied as is. */
export function fillRefs(v: unknown, resolve: (r: RefName) => unknown, depth = 0): unknown {
  if (v instanceof Ref) return resolve(v.ref);
  if (Buffer.isBuffer(v) || depth > SHALLOW) return v;
  if (Array.isArray(v)) return v.map((x) => fillRefs(x, resolve, depth + 1));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) setOwn(out, k, fillRefs(x, resolve, depth + 1));
    return out;
  }
  return v;
}

/** What a value looks like after JSON on the wire: NaN and Infinity become null, undefined fields vanish. */
export function wireForm(v: unknown, depth = 0): unknown {
  if (v === undefined) return undefined;
  if (Buffer.isBuffer(v)) return v;
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  if (!v || typeof v !== 'object') return v;
  if (depth > SHALLOW) return JSON.parse(JSON.stringify(v));
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : wireForm(x, depth + 1)));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== undefined) setOwn(out, k, wireForm(x, depth + 1));
  return out;
}

const TRICKY_STRINGS = [
  '',
  ' ',
  '\t\n',
  '\u0000',
  '\u0007bell',
  '\u202eevil',
  '\uffff',
  '\ud800',
  '😀'.repeat(20),
  '<script>alert(1)</script>',
  '=HYPERLINK("http://x")',
  "'; DROP TABLE commands; --",
  '../../etc/passwd',
  '__proto__',
  'constructor',
  '%s%s%s%n',
  '$' + '{process.exit()}',
  'null',
  'undefined',
  '0',
  '-1',
  'NaN',
  'true',
];

const TRICKY_NUMBERS = [
  0,
  -0,
  -1,
  1,
  0.5,
  -0.5,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53,
  2 ** 53 + 2,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  1e308,
  -1e308,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  604_800,
  604_801,
  59,
  60,
];

/** An unusual value of any type: the stuff of "wrongly typed". */
export function weirdValue(rng: Rng, depth = 0): unknown {
  const kind = rng.int(0, depth > 2 ? 6 : 10);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.pick(TRICKY_NUMBERS);
    case 3:
      return rng.pick(TRICKY_STRINGS);
    case 4:
      return rng.str(rng.pick([1, 5, 41, 61, 281, 1001, 5000]));
    case 5:
      return rng.int(-1000, 1000);
    case 6:
      return rng.str(rng.int(1, 12), 'ABCDEFGHJKMNPQRSTUVWXYZ23456789');
    case 7:
      return [];
    case 8:
      return Array.from({ length: rng.int(1, 4) }, () => weirdValue(rng, depth + 1));
    case 9:
      return {};
    default: {
      const o: Record<string, unknown> = {};
      for (let i = rng.int(1, 3); i > 0; i--) setOwn(o, weirdKey(rng), weirdValue(rng, depth + 1));
      return o;
    }
  }
}

export function weirdKey(rng: Rng): string {
  return rng.pick([
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    '',
    ' ',
    'seatId',
    'role',
    'token',
    'seq',
    'version',
    'admin',
    'code',
    rng.str(rng.int(1, 30)),
    'k'.repeat(2000),
  ]);
}

/** Nested arrays `depth` deep: a small frame that is expensive to walk if anything recursed over it. */
export function deepNest(depth: number): unknown {
  let v: unknown = 0;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}
