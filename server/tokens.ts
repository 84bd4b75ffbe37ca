import { createHash } from 'node:crypto';
import { customAlphabet, nanoid } from 'nanoid';

/** Room codes avoid characters people confuse when reading them off a projector (0/O, 1/I/L). */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const newRoomCode = customAlphabet(CODE_ALPHABET, 6);

/** Seat tokens: 24 url-safe characters (about 143 bits), the only thing that authorises a seat. */
export const newSeatToken = (): string => nanoid(24);
export const newFacilitatorToken = (): string => nanoid(32);
export const newId = (): string => nanoid(12);

/** Tokens are stored only as hashes, so a copy of the database cannot act for anyone. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
