/** The client's routes, read from the URL fragment (pure, so it can be tested without a browser). */
export type Route = { kind: 'landing'; code: string | null } | { kind: 'seat'; token: string };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/');
  const [head, arg] = parts;
  if (head === 'seat' && arg && /^[A-Za-z0-9_-]{21,64}$/.test(arg)) return { kind: 'seat', token: arg };
  if (head === 'join' && arg && /^[A-Za-z0-9]{6}$/.test(arg))
    return { kind: 'landing', code: arg.toUpperCase() };
  return { kind: 'landing', code: null };
}

export const seatHash = (token: string) => `#/seat/${token}`;
