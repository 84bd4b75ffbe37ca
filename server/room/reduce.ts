import { findBot } from '../../shared/bots/index.ts';
import { CommandError } from '../../shared/protocol/errors.ts';
import {
  type Channel,
  type ChatMessage,
  type Draft,
  MAX_OBSERVERS,
  MAX_TEAM_SIZE,
  type RoomPhase,
  type TimedPhase,
} from '../../shared/protocol/room.ts';
import { orderName } from '../../shared/rules/explain.ts';
import { adjustVariable, injectEvent } from '../../shared/rules/facilitator.ts';
import { forecastProblem, inCatalogueOrder } from '../../shared/rules/forecast.ts';
import { SIDES, type Side } from '../../shared/rules/ids.ts';
import { validateOrders } from '../../shared/rules/orders.ts';
import { checkCrisisAnswer, endEarly, resolveCrisis, resolveRound } from '../../shared/rules/round.ts';
import { createGame } from '../../shared/rules/setup.ts';
import type { GameState } from '../../shared/rules/state.ts';
import { playerView } from '../../shared/rules/view.ts';
import { builtinScenario } from '../../shared/scenarios/index.ts';
import type { RoomCommand } from './commands.ts';
import { emptyDraft, type FacilitatorAction, type RoomState, type SeatRecord, shownRound } from './state.ts';

/** Chat kept in the room's state (older messages stay in the command log). */
export const CHAT_KEPT = 500;

const NEXT: Record<Exclude<RoomPhase, 'ended'>, RoomPhase> = {
  lobby: 'briefing',
  briefing: 'negotiation',
  negotiation: 'orders',
  orders: 'crisis',
  crisis: 'summary',
  summary: 'briefing',
};

function fail(code: ConstructorParameters<typeof CommandError>[0], message: string): never {
  throw new CommandError(code, message);
}

export function seatById(room: RoomState, seatId: string): SeatRecord {
  return room.seats.find((s) => s.id === seatId) ?? fail('unauthorized', 'this seat is not in the game');
}

/** The seat a facilitator command names (`not-found` when there is none: the id came from the console). */
function namedSeat(room: RoomState, seatId: string): SeatRecord {
  return room.seats.find((s) => s.id === seatId) ?? fail('not-found', 'no seat with this id in the game');
}

/**
 * The lead of a team: the member it was handed to, or else its earliest member. Only the lead
 * locks orders and answers crises.
 */
export function leadOf(room: RoomState, side: Side): SeatRecord | undefined {
  const handed = room.leads?.[side];
  return (
    (handed !== undefined ? room.seats.find((s) => s.id === handed && s.role === side) : undefined) ??
    room.seats.find((s) => s.role === side)
  );
}

function withLead(room: RoomState, seat: SeatRecord & { role: Side }, at: number, by: string): RoomState {
  return {
    ...room,
    leads: { ...room.leads, [seat.role]: seat.id },
    chat: system(room, at, `${seat.name} now leads the team (${by}).`, seat.role),
  };
}

function teamSeat(room: RoomState, seatId: string): SeatRecord & { role: Side } {
  const seat = seatById(room, seatId);
  if (seat.role !== 'us' && seat.role !== 'china') fail('forbidden', 'only a team member can do this');
  return seat as SeatRecord & { role: Side };
}

/** The team's draft a member may edit now (orders or forecast), checked at the version the edit was based on. */
function openDraft(
  room: RoomState,
  cmd: { seatId: string; baseVersion: number },
  what: string,
  locked: string,
): { seat: SeatRecord & { role: Side }; d: Draft } {
  const seat = teamSeat(room, cmd.seatId);
  requirePhase(room, ['briefing', 'negotiation', 'orders'], what);
  if (room.settings.bots[seat.role])
    fail('forbidden', 'a bot holds this side; the facilitator can take it out');
  const d = room.drafts[seat.role];
  if (d.locked) fail('locked', `${locked}; the lead must unlock them first`);
  if (cmd.baseVersion !== d.version)
    fail(
      'stale-version',
      `the draft is at version ${d.version}, not ${cmd.baseVersion}; resync and try again`,
    );
  return { seat, d };
}

function requireLead(room: RoomState, seat: SeatRecord & { role: Side }): void {
  if (room.settings.bots[seat.role])
    fail('forbidden', 'a bot holds this side; the facilitator can take it out');
  if (leadOf(room, seat.role)?.id !== seat.id)
    fail(
      'forbidden',
      'only the team lead can do this (the first member to join, unless the lead was handed over)',
    );
}

/** Who may read and write a channel. */
export function canUseChannel(role: SeatRecord['role'] | 'facilitator', channel: Channel): boolean {
  if (role === 'facilitator') return true;
  if (role === 'observer') return false;
  return channel === 'public' || channel === 'bilateral' || channel === role;
}

function phaseMs(room: RoomState, phase: RoomPhase): number | null {
  return phase in room.settings.deadlines ? room.settings.deadlines[phase as TimedPhase] * 1000 : null;
}

function withChat(room: RoomState, msg: Omit<ChatMessage, 'seq'>): ChatMessage[] {
  const chat =
    room.chat.length >= CHAT_KEPT ? room.chat.slice(room.chat.length - CHAT_KEPT + 1) : room.chat.slice();
  chat.push({ ...msg, seq: room.seq + 1 });
  return chat;
}

/** A White Cell line from the room itself: on the public channel, or one team's. */
function system(room: RoomState, at: number, text: string, channel: Channel = 'public'): ChatMessage[] {
  return withChat(room, { channel, seatId: null, name: 'White Cell', role: 'system', text, at });
}

function logAction(
  room: RoomState,
  at: number,
  kind: FacilitatorAction['kind'],
  detail: string,
): FacilitatorAction[] {
  return [...room.actions, { at, round: room.game.round, kind, detail }];
}

/**
 * The orders an early end kept from being played, for the report: the round's drafts die with
 * the game, and without this line a report would not say what either team had decided.
 */
function unplayedOrders(room: RoomState): string {
  if (room.phase !== 'orders') return '';
  const sides = SIDES.map((side) => {
    const d = room.drafts[side];
    const moves = d.orders.map((o) => orderName(o, room.game.agreements));
    return `${side === 'us' ? 'US' : 'China'} ${d.locked ? 'locked' : 'draft'}: ${moves.join(', ') || 'no moves'}`;
  });
  return `, before its orders were played (${sides.join('; ')})`;
}

/** Orders a side's bot gives, and the draft that holds them, locked. */
function botDraft(room: RoomState, game: GameState, side: Side, version: number): Draft {
  const botId = room.settings.bots[side];
  const bot = botId ? findBot(side, botId) : undefined;
  if (!bot) return { ...emptyDraft(), version };
  return {
    orders: bot.orders(playerView(game, side)),
    version: version + 1,
    locked: true,
    lockedBy: `bot:${bot.id}`,
    editedBy: `bot:${bot.id}`,
  };
}

function botAnswer(room: RoomState, game: GameState, side: Side): string | null {
  const botId = room.settings.bots[side];
  const bot = botId ? findBot(side, botId) : undefined;
  const pending = game.pendingCrisis;
  return bot && pending ? bot.crisis(playerView(game, side), pending.eventId) : null;
}

/** Moves the room into `phase` at time `at`, starting its clock, and lets bots act. */
function enter(room: RoomState, phase: RoomPhase, at: number): RoomState {
  const ms = phaseMs(room, phase);
  const paused = room.pausedRemaining !== null;
  let r: RoomState = {
    ...room,
    phase,
    deadline: ms === null || paused ? null : at + ms,
    pausedRemaining: paused && ms !== null ? ms : room.pausedRemaining,
  };
  if (phase === 'briefing') {
    r = { ...r, drafts: { us: emptyDraft(), china: emptyDraft() }, crisisAnswers: { us: null, china: null } };
  }
  if (phase === 'orders') {
    const drafts = { ...r.drafts };
    for (const side of SIDES)
      if (r.settings.bots[side]) drafts[side] = botDraft(r, r.game, side, drafts[side].version);
    r = { ...r, drafts };
    if (drafts.us.locked && drafts.china.locked) return resolveOrders(r, at);
  }
  if (phase === 'crisis') {
    const answers = { ...r.crisisAnswers };
    for (const side of SIDES) if (r.settings.bots[side]) answers[side] = botAnswer(r, r.game, side);
    r = { ...r, crisisAnswers: answers };
    if (answers.us !== null && answers.china !== null) return resolveAnswers(r, at);
  }
  if (phase === 'ended') r = { ...r, deadline: null, pausedRemaining: null };
  return r;
}

/**
 * The documented default for a side that has not locked by the deadline: its current draft if
 * the rules accept it, otherwise no moves.
 */
function ordersFor(room: RoomState, side: Side) {
  const d = room.drafts[side];
  if (d.locked) return d.orders;
  return validateOrders(room.game, side, d.orders).ok ? d.orders : [];
}

/** The round's forecasts join the record as they stand when the orders are revealed, locked or not. */
function recordForecasts(room: RoomState): RoomState['forecasts'] {
  const made = SIDES.flatMap((side) => {
    const moves = room.drafts[side].forecast;
    return moves?.length ? [{ round: room.game.round, side, moves }] : [];
  });
  return made.length ? [...(room.forecasts ?? []), ...made] : room.forecasts;
}

function resolveOrders(room: RoomState, at: number): RoomState {
  const r = resolveRound(room.game, { us: ordersFor(room, 'us'), china: ordersFor(room, 'china') });
  if (!r.ok) fail('internal', `orders could not be resolved: ${r.errors.map((e) => e.message).join('; ')}`);
  const forecasts = recordForecasts(room);
  const next = { ...room, game: r.state, ...(forecasts ? { forecasts } : {}) };
  if (r.state.phase === 'crisis') return enter(next, 'crisis', at);
  return enter(next, r.state.phase === 'ended' ? 'ended' : 'summary', at);
}

function resolveAnswers(room: RoomState, at: number): RoomState {
  const r = resolveCrisis(room.game, room.crisisAnswers);
  if (!r.ok) fail('internal', `crisis answers could not be resolved: ${r.message}`);
  return enter({ ...room, game: r.state }, r.state.phase === 'ended' ? 'ended' : 'summary', at);
}

/** What the next phase is when the clock runs out or the facilitator moves on. */
function advance(room: RoomState, at: number): RoomState {
  switch (room.phase) {
    case 'ended':
      return fail('wrong-phase', 'the game has ended');
    case 'orders':
      return resolveOrders(room, at);
    case 'crisis':
      return resolveAnswers(room, at);
    default:
      return enter(room, NEXT[room.phase], at);
  }
}

function requirePhase(room: RoomState, allowed: readonly RoomPhase[], what: string): void {
  if (!allowed.includes(room.phase))
    fail('wrong-phase', `${what} is not possible in the ${room.phase} phase`);
}

/**
 * The facilitator takes a seat out of the game: a person who joined the wrong side (they join
 * again), one who left for good, or a seat whose browser never got its token. The token stops
 * working at once; the seat's chat stays, under its name. A lead's team passes to its earliest
 * remaining member, as if nobody had been handed the lead.
 */
function removeSeat(room: RoomState, seatId: string, at: number): RoomState {
  if (room.phase === 'ended') fail('wrong-phase', 'the game has ended; its seats stay in the record');
  const seat = namedSeat(room, seatId);
  const seats = room.seats.filter((s) => s.id !== seatId);
  const actions = logAction(room, at, 'remove', `${seat.role}: ${seat.name}`);
  if (seat.role === 'observer') return { ...room, seats, actions };
  const side = seat.role;
  const wasLead = leadOf(room, side)?.id === seat.id;
  const leads = { ...room.leads };
  if (leads[side] === seat.id) delete leads[side];
  const after: RoomState = { ...room, seats, leads, actions };
  const next = wasLead ? leadOf(after, side) : undefined;
  const text = `The facilitator removed ${seat.name} from the team.${
    next
      ? ` ${next.name} now leads the team.`
      : seats.some((s) => s.role === side)
        ? ''
        : ' The team has no members now.'
  }`;
  return { ...after, chat: system(room, at, text, side) };
}

export function createRoom(cmd: Extract<RoomCommand, { type: 'create' }>): RoomState {
  const scenario = builtinScenario(cmd.settings.scenarioId);
  const fork = cmd.fork;
  const room: RoomState = {
    id: cmd.id,
    code: cmd.code,
    createdAt: cmd.at,
    facilitatorTokenHash: cmd.facilitatorTokenHash,
    seed: cmd.seed,
    settings: cmd.settings,
    seats: [],
    phase: 'lobby',
    deadline: null,
    pausedRemaining: null,
    game: fork ? fork.game : createGame(scenario, cmd.seed, cmd.settings.rounds),
    drafts: { us: emptyDraft(), china: emptyDraft() },
    crisisAnswers: { us: null, china: null },
    chat: [],
    actions: [],
    seq: 1,
  };
  if (!fork) return room;
  const text = `This game is a fork of game ${fork.from}: rounds before round ${fork.round} are as they were played there, and it starts from the briefing of round ${fork.round}, with the same dice.`;
  return {
    ...room,
    forkOf: { code: fork.from, round: fork.round },
    ...(fork.forecasts ? { forecasts: fork.forecasts } : {}),
    chat: [{ seq: 1, channel: 'public', seatId: null, name: 'White Cell', role: 'system', text, at: cmd.at }],
  };
}

/**
 * Applies one command to a room and returns the new room, or throws a CommandError and changes
 * nothing. It is the only place room state changes, and it is pure given the command (the
 * command carries its time), so the log replays exactly.
 */
export function applyCommand(room: RoomState, cmd: RoomCommand): RoomState {
  const next = reduce(room, cmd);
  return { ...next, seq: room.seq + 1 };
}

function reduce(room: RoomState, cmd: RoomCommand): RoomState {
  switch (cmd.type) {
    case 'create':
      return fail('bad-payload', 'a room is created only once');
    case 'join': {
      if (room.phase === 'ended')
        fail(
          'wrong-phase',
          'this game has ended; players of it can still open the debrief from their own link',
        );
      const count = room.seats.filter((s) => s.role === cmd.seat.role).length;
      const max = cmd.seat.role === 'observer' ? MAX_OBSERVERS : MAX_TEAM_SIZE;
      if (count >= max)
        fail(
          'room-full',
          `the ${cmd.seat.role === 'observer' ? 'observer gallery' : `${cmd.seat.role === 'us' ? 'US' : 'China'} team`} is full (${max})`,
        );
      return { ...room, seats: [...room.seats, { ...cmd.seat, joinedAt: cmd.at }] };
    }
    case 'draft.set': {
      const { seat, d } = openDraft(room, cmd, 'Editing orders', 'the orders are locked');
      const draft: Draft = {
        orders: cmd.orders,
        ...(d.forecast ? { forecast: d.forecast } : {}),
        ...(d.forecastBy ? { forecastBy: d.forecastBy } : {}),
        version: d.version + 1,
        locked: false,
        lockedBy: null,
        editedBy: seat.id,
      };
      return { ...room, drafts: { ...room.drafts, [seat.role]: draft } };
    }
    case 'forecast.set': {
      const { seat, d } = openDraft(
        room,
        cmd,
        'Forecasting',
        'the orders are locked, and the forecast with them',
      );
      const problem = forecastProblem(seat.role, cmd.moves);
      if (problem) fail('bad-payload', `moves: ${problem}`);
      const { forecast: _old, ...rest } = d;
      const moves = inCatalogueOrder(seat.role, cmd.moves);
      const draft: Draft = {
        ...rest,
        ...(moves.length ? { forecast: moves } : {}),
        forecastBy: seat.id,
        version: d.version + 1,
      };
      return { ...room, drafts: { ...room.drafts, [seat.role]: draft } };
    }
    case 'draft.lock': {
      const seat = teamSeat(room, cmd.seatId);
      requirePhase(room, ['orders'], 'Locking orders');
      requireLead(room, seat);
      const d = room.drafts[seat.role];
      if (d.locked) fail('locked', 'the orders are already locked');
      if (cmd.baseVersion !== d.version)
        fail(
          'stale-version',
          `the draft is at version ${d.version}, not ${cmd.baseVersion}; check the latest draft before locking`,
        );
      const v = validateOrders(room.game, seat.role, d.orders);
      if (!v.ok) fail('invalid-orders', v.errors.map((e) => e.message).join('; '));
      const locked: Draft = { ...d, locked: true, lockedBy: seat.id };
      const r = { ...room, drafts: { ...room.drafts, [seat.role]: locked } };
      return r.drafts.us.locked && r.drafts.china.locked ? resolveOrders(r, cmd.at) : r;
    }
    case 'draft.unlock': {
      const seat = teamSeat(room, cmd.seatId);
      requirePhase(room, ['orders'], 'Unlocking orders');
      requireLead(room, seat);
      const d = room.drafts[seat.role];
      if (!d.locked) fail('wrong-phase', 'the orders are not locked');
      return {
        ...room,
        drafts: {
          ...room.drafts,
          [seat.role]: { ...d, locked: false, lockedBy: null, version: d.version + 1 },
        },
      };
    }
    case 'chat': {
      const seat = seatById(room, cmd.seatId);
      if (!canUseChannel(seat.role, cmd.channel))
        fail('forbidden', `you cannot write on the ${cmd.channel} channel`);
      return {
        ...room,
        chat: withChat(room, {
          channel: cmd.channel,
          seatId: seat.id,
          name: seat.name,
          role: seat.role,
          text: cmd.text,
          at: cmd.at,
        }),
      };
    }
    case 'crisis.answer': {
      const seat = teamSeat(room, cmd.seatId);
      requirePhase(room, ['crisis'], 'Answering a crisis');
      requireLead(room, seat);
      if (room.crisisAnswers[seat.role] !== null) fail('locked', 'your side has already answered');
      // Check the answer against the event now, so a bad choice is refused instead of stored.
      const why = checkCrisisAnswer(room.game, seat.role, cmd.choice);
      if (why) fail('bad-payload', why);
      const answers = { ...room.crisisAnswers, [seat.role]: cmd.choice };
      const r = { ...room, crisisAnswers: answers };
      return answers.us !== null && answers.china !== null ? resolveAnswers(r, cmd.at) : r;
    }
    case 'lead.take': {
      // Whether the lead is away is the socket layer's to check: connections are not room state.
      const seat = teamSeat(room, cmd.seatId);
      if (room.phase === 'ended') fail('wrong-phase', 'the game has ended');
      if (leadOf(room, seat.role)?.id === seat.id) fail('locked', 'you already lead your team');
      return withLead(room, seat, cmd.at, 'the lead was away');
    }
    case 'fac.setLead': {
      if (room.phase === 'ended') fail('wrong-phase', 'the game has ended');
      const seat = namedSeat(room, cmd.seatId);
      if (seat.role !== 'us' && seat.role !== 'china')
        fail('bad-payload', 'only a team member can lead a team');
      const member = seat as SeatRecord & { role: Side };
      return {
        ...withLead(room, member, cmd.at, 'chosen by the facilitator'),
        actions: logAction(room, cmd.at, 'lead', `${member.role}: ${member.name}`),
      };
    }
    case 'fac.removeSeat':
      return removeSeat(room, cmd.seatId, cmd.at);
    case 'fac.start':
      requirePhase(room, ['lobby'], 'Starting');
      return { ...enter(room, 'briefing', cmd.at), chat: system(room, cmd.at, 'The exercise has started.') };
    case 'fac.pause': {
      if (room.pausedRemaining !== null) fail('wrong-phase', 'the game is already paused');
      if (room.phase === 'lobby' || room.phase === 'ended')
        fail('wrong-phase', `nothing runs in the ${room.phase} phase`);
      const left = room.deadline === null ? 0 : Math.max(0, room.deadline - cmd.at);
      return {
        ...room,
        deadline: null,
        pausedRemaining: left,
        actions: logAction(room, cmd.at, 'pause', `${Math.round(left / 1000)} s left`),
      };
    }
    case 'fac.resume': {
      if (room.pausedRemaining === null) fail('wrong-phase', 'the game is not paused');
      return {
        ...room,
        deadline: cmd.at + room.pausedRemaining,
        pausedRemaining: null,
        actions: logAction(room, cmd.at, 'resume', ''),
      };
    }
    case 'fac.extend': {
      if (room.deadline === null && room.pausedRemaining === null) fail('wrong-phase', 'no clock is running');
      const add = cmd.seconds * 1000;
      return {
        ...room,
        deadline: room.deadline === null ? null : room.deadline + add,
        pausedRemaining: room.pausedRemaining === null ? null : room.pausedRemaining + add,
        actions: logAction(room, cmd.at, 'extend', `+${cmd.seconds} s in ${room.phase}`),
      };
    }
    case 'fac.advance': {
      if (cmd.from && (cmd.from.phase !== room.phase || cmd.from.round !== shownRound(room)))
        fail(
          'stale-version',
          `the game has already moved on to the ${room.phase} phase of round ${shownRound(room)}; nothing was changed`,
        );
      const r = advance(room, cmd.at);
      return { ...r, actions: logAction(room, cmd.at, 'advance', `${room.phase} → ${r.phase}`) };
    }
    case 'fac.end': {
      if (room.phase === 'ended') fail('wrong-phase', 'the game has already ended');
      const r = enter({ ...room, game: endEarly(room.game) }, 'ended', cmd.at);
      return {
        ...r,
        actions: logAction(
          room,
          cmd.at,
          'end',
          `ended by the facilitator in round ${room.game.round}${unplayedOrders(room)}`,
        ),
        chat: system(room, cmd.at, 'The facilitator ended the exercise.'),
      };
    }
    case 'fac.inject': {
      if (room.phase === 'lobby') fail('wrong-phase', 'start the game before injecting events');
      if (room.phase === 'ended') fail('wrong-phase', 'the game has ended');
      const r = injectEvent(room.game, cmd.eventId);
      if (!r.ok) fail('bad-payload', r.message);
      const when = room.phase === 'summary' || room.phase === 'crisis' ? 'next round' : 'this round';
      return {
        ...room,
        game: r.state,
        actions: logAction(room, cmd.at, 'inject', `${cmd.eventId} at the end of ${when}`),
      };
    }
    case 'fac.adjust': {
      if (room.phase === 'ended') fail('wrong-phase', 'the game has ended');
      const r = adjustVariable(room.game, cmd.variable, cmd.value, cmd.note);
      if (!r.ok) fail('bad-payload', r.message);
      return {
        ...room,
        game: r.state,
        actions: logAction(room, cmd.at, 'adjust', `${cmd.variable} → ${cmd.value}: ${cmd.note}`),
      };
    }
    case 'fac.chat':
      return {
        ...room,
        chat: withChat(room, {
          channel: cmd.channel,
          seatId: null,
          name: 'White Cell',
          role: 'facilitator',
          text: cmd.text,
          at: cmd.at,
        }),
      };
    case 'fac.broadcast':
      return {
        ...room,
        chat: system(room, cmd.at, cmd.text),
        actions: logAction(room, cmd.at, 'broadcast', cmd.text),
      };
    case 'fac.setBot': {
      if (room.phase === 'ended') fail('wrong-phase', 'the game has ended');
      if (cmd.bot !== null && !findBot(cmd.side, cmd.bot))
        fail('bad-payload', `no ${cmd.side} bot called "${cmd.bot}"`);
      // Asked for what already holds the side (a second click): a draft the humans locked, or an
      // answer they gave, must not be undone by it.
      if ((room.settings.bots[cmd.side] ?? null) === cmd.bot) return room;
      const settings = { ...room.settings, bots: { ...room.settings.bots, [cmd.side]: cmd.bot } };
      let r: RoomState = {
        ...room,
        settings,
        actions: logAction(room, cmd.at, 'bot', `${cmd.side}: ${cmd.bot ?? 'humans'}`),
      };
      if (cmd.bot === null) {
        // Humans take over: they get an open draft to work on (and an unanswered crisis).
        const d = r.drafts[cmd.side];
        if (r.phase === 'orders' && d.locked)
          r = {
            ...r,
            drafts: {
              ...r.drafts,
              [cmd.side]: { ...d, locked: false, lockedBy: null, version: d.version + 1 },
            },
          };
        if (r.phase === 'crisis') r = { ...r, crisisAnswers: { ...r.crisisAnswers, [cmd.side]: null } };
        return r;
      }
      if (r.phase === 'orders') {
        r = {
          ...r,
          drafts: { ...r.drafts, [cmd.side]: botDraft(r, r.game, cmd.side, r.drafts[cmd.side].version) },
        };
        if (r.drafts.us.locked && r.drafts.china.locked) return resolveOrders(r, cmd.at);
      }
      if (r.phase === 'crisis' && r.crisisAnswers[cmd.side] === null) {
        r = { ...r, crisisAnswers: { ...r.crisisAnswers, [cmd.side]: botAnswer(r, r.game, cmd.side) } };
        if (r.crisisAnswers.us !== null && r.crisisAnswers.china !== null) return resolveAnswers(r, cmd.at);
      }
      return r;
    }
    case 'clock.downtime':
      // The server was shut down cleanly for `ms`: nobody could act, so the clock stood still.
      if (room.deadline === null) fail('wrong-phase', 'no clock is running');
      return { ...room, deadline: room.deadline + cmd.ms };
    case 'clock.deadline':
      // A timer armed before a change of phase may fire late: only the current phase's clock counts.
      if (
        cmd.phase !== room.phase ||
        cmd.round !== room.game.round ||
        room.deadline === null ||
        cmd.at < room.deadline
      )
        fail('wrong-phase', 'that deadline no longer applies');
      return advance(room, cmd.at);
  }
}
