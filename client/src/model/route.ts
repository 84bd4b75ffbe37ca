/** The client's routes, read from the URL fragment (pure, so it can be tested without a browser). */
export type Route =
  | { kind: 'landing'; code: string | null }
  | { kind: 'seat'; token: string }
  /** `compare`: a game (the first token) and its forks, side by side (#/compare/...). */
  | { kind: 'class'; tokens: string[]; compare: boolean };

/** A class page shows 2 to 8 tables (a classroom of 20–40 students in groups of 4–6). */
export const MIN_TABLES = 2;
export const MAX_TABLES = 8;

const TOKEN = /^[A-Za-z0-9_-]{21,64}$/;

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/');
  const [head, arg] = parts;
  if (head === 'seat' && arg && TOKEN.test(arg)) return { kind: 'seat', token: arg };
  if (head === 'join' && arg && /^[A-Za-z0-9]{6}$/.test(arg))
    return { kind: 'landing', code: arg.toUpperCase() };
  if ((head === 'class' || head === 'compare') && arg) {
    const tokens = arg.split('.');
    if (
      tokens.length >= MIN_TABLES &&
      tokens.length <= MAX_TABLES &&
      tokens.every((t) => TOKEN.test(t)) &&
      new Set(tokens).size === tokens.length
    )
      return { kind: 'class', tokens, compare: head === 'compare' };
  }
  return { kind: 'landing', code: null };
}

export const seatHash = (token: string) => `#/seat/${token}`;

/** A class page's address: every table's facilitator token, so the link alone opens them all. */
export const classHash = (tokens: readonly string[]) => `#/class/${tokens.join('.')}`;

/** A game and its forks side by side: the same page as a class, the original first. */
export const compareHash = (tokens: readonly string[]) => `#/compare/${tokens.join('.')}`;
