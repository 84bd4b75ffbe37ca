/** Every error code a client can receive. Anything else stays in the server log. */
export const ERROR_CODES = [
  'bad-payload',
  'not-found',
  'unauthorized',
  'forbidden',
  'wrong-phase',
  'stale-version',
  'invalid-orders',
  'locked',
  'room-full',
  'rate-limited',
  'restarting',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type Ack<T> = { ok: true; data: T } | { ok: false; code: ErrorCode; message: string };

export class CommandError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}
