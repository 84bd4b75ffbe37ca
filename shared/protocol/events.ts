import { z } from 'zod';
import { MAX_FORECAST_MOVES } from '../rules/forecast.ts';
import { SIDES } from '../rules/ids.ts';
import { ordersSchema } from '../rules/orders.ts';
import type { Ack } from './errors.ts';
import {
  CHANNELS,
  type GameUpdate,
  JOINABLE_ROLES,
  MAX_CHAT_LENGTH,
  MAX_DEADLINE_SECONDS,
  MAX_NAME_LENGTH,
  MAX_SEED_LENGTH,
  MAX_TITLE_LENGTH,
  MIN_DEADLINE_SECONDS,
  ROOM_PHASES,
  type RoomView,
  SEED_PATTERN,
  SEED_RULE,
  type SeatSnapshot,
} from './room.ts';

/**
 * Every socket command's payload schema. The server checks each payload against these before
 * anything else looks at it; docs/PROTOCOL.md documents the same shapes.
 */
const code = z.string().regex(/^[A-Za-z0-9]{6}$/, 'a room code is 6 letters or digits');
const token = z
  .string()
  .min(21)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'not a token');
const name = z
  .string()
  .trim()
  .min(1, 'a display name is needed')
  .max(MAX_NAME_LENGTH)
  // Control characters in a name would break other people's screens and the exports.
  .refine((s) => !/\p{Cc}/u.test(s), 'a name cannot contain control characters');

const title = z
  .string()
  .trim()
  .max(MAX_TITLE_LENGTH)
  .refine((s) => !/\p{Cc}/u.test(s), 'a title cannot contain control characters');

export const commandSchemas = {
  // An empty title is the same as none.
  'game:join': z.strictObject({ code, name, role: z.enum(JOINABLE_ROLES), title: title.optional() }),
  'game:resume': z.strictObject({ token, lastSeq: z.number().int().min(0).optional() }),
  'draft:set': z.strictObject({ baseVersion: z.number().int().min(0), orders: ordersSchema }),
  'draft:lock': z.strictObject({ baseVersion: z.number().int().min(0) }),
  'forecast:set': z.strictObject({
    baseVersion: z.number().int().min(0),
    moves: z.array(z.string().min(1).max(40)).max(MAX_FORECAST_MOVES),
  }),
  'draft:unlock': z.strictObject({}),
  'chat:send': z.strictObject({
    channel: z.enum(CHANNELS),
    text: z.string().trim().min(1).max(MAX_CHAT_LENGTH),
  }),
  'crisis:answer': z.strictObject({ choice: z.string().min(1).max(40) }),
  'team:takeLead': z.strictObject({}),
  'fac:start': z.strictObject({}),
  'fac:pause': z.strictObject({}),
  'fac:resume': z.strictObject({}),
  'fac:advance': z.strictObject({
    // The phase the facilitator saw: a second click, or a second facilitator tab, must not skip one.
    from: z.strictObject({ phase: z.enum(ROOM_PHASES), round: z.number().int().min(0).max(1000) }).optional(),
  }),
  'fac:end': z.strictObject({}),
  'fac:extend': z.strictObject({ seconds: z.number().int().min(1).max(MAX_DEADLINE_SECONDS) }),
  'fac:broadcast': z.strictObject({ text: z.string().trim().min(1).max(MAX_CHAT_LENGTH) }),
  'fac:setBot': z.strictObject({ side: z.enum(SIDES), bot: z.string().min(1).max(40).nullable() }),
  'fac:setLead': z.strictObject({ seatId: z.string().min(1).max(40) }),
  'fac:removeSeat': z.strictObject({ seatId: z.string().min(1).max(40) }),
  'fac:inject': z.strictObject({ eventId: z.string().min(1).max(60) }),
  'fac:adjust': z.strictObject({
    variable: z.string().min(1).max(60),
    value: z.number().finite(),
    note: z
      .string()
      .trim()
      .min(1, 'say why in a note: it goes into the after-action report')
      .max(MAX_CHAT_LENGTH),
  }),
} as const;

export type CommandName = keyof typeof commandSchemas;
export type CommandPayload<K extends CommandName> = z.infer<(typeof commandSchemas)[K]>;

export interface JoinResult {
  token: string;
  seatId: string;
  role: RoomView['you']['role'];
  snapshot: SeatSnapshot;
}

export interface ResumeResult {
  seatId: string;
  role: RoomView['you']['role'];
  /** Everything the seat needs, or null when `lastSeq` shows the client is already up to date. */
  snapshot: SeatSnapshot | null;
}

type Handler<K extends CommandName, R> = (payload: CommandPayload<K>, ack: (answer: Ack<R>) => void) => void;

/** What a client may send; every command ends in an acknowledgement. */
export interface ClientToServerEvents {
  'game:join': Handler<'game:join', JoinResult>;
  'game:resume': Handler<'game:resume', ResumeResult>;
  'draft:set': Handler<'draft:set', { version: number }>;
  'draft:lock': Handler<'draft:lock', { seq: number }>;
  'forecast:set': Handler<'forecast:set', { version: number }>;
  'draft:unlock': Handler<'draft:unlock', { seq: number }>;
  'chat:send': Handler<'chat:send', { seq: number }>;
  'crisis:answer': Handler<'crisis:answer', { seq: number }>;
  'team:takeLead': Handler<'team:takeLead', { seq: number }>;
  'fac:start': Handler<'fac:start', { seq: number }>;
  'fac:pause': Handler<'fac:pause', { seq: number }>;
  'fac:resume': Handler<'fac:resume', { seq: number }>;
  'fac:advance': Handler<'fac:advance', { seq: number }>;
  'fac:end': Handler<'fac:end', { seq: number }>;
  'fac:extend': Handler<'fac:extend', { seq: number }>;
  'fac:broadcast': Handler<'fac:broadcast', { seq: number }>;
  'fac:setBot': Handler<'fac:setBot', { seq: number }>;
  'fac:setLead': Handler<'fac:setLead', { seq: number }>;
  'fac:removeSeat': Handler<'fac:removeSeat', { seq: number }>;
  'fac:inject': Handler<'fac:inject', { seq: number }>;
  'fac:adjust': Handler<'fac:adjust', { seq: number }>;
}

/**
 * What the server pushes: after each change a seat can see, one update with what changed for it
 * (log entries, chat it may read, its new view), and a whole snapshot when the game ends.
 */
export interface ServerToClientEvents {
  'game:update': (update: GameUpdate) => void;
  'game:snapshot': (snapshot: SeatSnapshot) => void;
  'server:restarting': (info: { message: string }) => void;
  /** The facilitator removed this seat; the connection closes right after and the token no longer works. */
  'seat:removed': (info: { message: string }) => void;
}

const seconds = z.number().int().min(MIN_DEADLINE_SECONDS).max(MAX_DEADLINE_SECONDS);

export const createGameSchema = z.strictObject({
  /** Absent: the server draws a fresh one. */
  seed: z
    .string()
    .min(1, SEED_RULE)
    .max(MAX_SEED_LENGTH, SEED_RULE)
    .regex(SEED_PATTERN, SEED_RULE)
    .optional(),
  scenarioId: z.enum(['baseline-2026', 'classroom-short']).default('classroom-short'),
  rounds: z.number().int().min(1).max(12).optional(),
  deadlines: z
    .strictObject({
      briefing: seconds.optional(),
      negotiation: seconds.optional(),
      orders: seconds.optional(),
      crisis: seconds.optional(),
      summary: seconds.optional(),
    })
    .optional(),
  bots: z
    .strictObject({
      us: z.string().max(40).nullable().optional(),
      china: z.string().max(40).nullable().optional(),
    })
    .optional(),
});
export type CreateGameRequest = z.input<typeof createGameSchema>;

/** POST /api/games/:code/fork: the round whose briefing the new game starts from. */
export const forkGameSchema = z.strictObject({ round: z.number().int().min(1).max(12) });
export type ForkGameRequest = z.input<typeof forkGameSchema>;

export interface CreateGameResponse {
  code: string;
  facilitatorToken: string;
  facilitatorLink: string;
  joinLink: string;
  /** For a fork: the game it was forked from and the round it starts at. */
  forkOf?: { code: string; round: number };
}
