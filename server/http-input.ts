import type { Request } from 'express';
import type { z } from 'zod';
import { CommandError } from '../shared/protocol/errors.ts';

/** A JSON body checked against its schema, or a bad-payload error naming the first wrong field. */
export function parsedBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const i = parsed.error.issues[0];
  throw new CommandError('bad-payload', i ? `${i.path.join('.') || 'body'}: ${i.message}` : 'bad request');
}

/** The token a request carries, as "Authorization: Bearer <token>" or `?token=`; unauthorized without one. */
export function requestToken(req: Request): string {
  const header = req.get('authorization') ?? '';
  // The scheme's name is case-insensitive (RFC 9110); the token after it is not.
  const token = /^bearer /i.test(header)
    ? header.slice(7)
    : typeof req.query.token === 'string'
      ? req.query.token
      : '';
  if (!token)
    throw new CommandError(
      'unauthorized',
      'send the facilitator token as "Authorization: Bearer <token>" (or ?token=)',
    );
  return token;
}
