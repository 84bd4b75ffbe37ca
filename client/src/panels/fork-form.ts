import type { ClientView } from '../../../shared/protocol/room.ts';
import { h } from '../dom.ts';
import { compareHash, MAX_TABLES } from '../model/route.ts';
import { ApiError, forkGame } from '../net/api.ts';
import { forgetClass, saveClass, savedClasses, saveSeat } from '../net/saved-seats.ts';

let uid = 0;

/** The rounds a fork may start from: every round whose briefing the game has reached. */
export function forkableRounds(v: ClientView): number[] {
  if (v.phase === 'lobby') return [];
  const played = v.game.log.public.length;
  const reached = v.phase === 'ended' ? Math.max(1, played) : v.round;
  // A fork's own briefings begin at the round it was forked from; earlier ones were the source's.
  const first = v.forkOf?.round ?? 1;
  return Array.from({ length: Math.max(0, reached - first + 1) }, (_, i) => first + i);
}

/**
 * "Fork from round N", for the facilitator: a new game that replays this one from the start of
 * an earlier round, opened beside the original on the comparison page.
 */
export function createForkForm(token: string): { el: HTMLElement; update(v: ClientView): void } {
  const id = `fork-round-${++uid}`;
  const select = h('select', { id });
  const button = h('button', { type: 'button' }, 'Fork this game');
  const error = h('p', { class: 'error', role: 'alert' });
  let code = '';
  // The latest round is offered until the facilitator picks another.
  let picked = false;
  select.addEventListener('change', () => {
    picked = true;
  });
  button.addEventListener('click', async () => {
    const round = Number(select.value);
    if (!code || !round) return;
    button.disabled = true;
    error.textContent = '';
    try {
      const fork = await forkGame(code, token, round);
      saveSeat({
        token: fork.facilitatorToken,
        code: fork.code,
        role: 'facilitator',
        name: `Facilitator, fork of ${code}`,
        savedAt: Date.now(),
      });
      // A second fork of the same game joins the first on one page (up to the page's limit).
      const earlier = savedClasses().find((c) => c.compare && c.tokens[0] === token);
      const kept = earlier ? earlier.tokens.slice(0, MAX_TABLES - 1) : [token];
      const codes = earlier ? earlier.codes.slice(0, MAX_TABLES - 1) : [code];
      const tokens = [...kept, fork.facilitatorToken];
      if (earlier) forgetClass(earlier.tokens);
      saveClass({ tokens, codes: [...codes, fork.code], compare: true, savedAt: Date.now() });
      location.hash = compareHash(tokens);
    } catch (err) {
      error.textContent =
        err instanceof ApiError ? err.message : 'The server could not be reached. Try again.';
      button.disabled = false;
    }
  });
  const el = h(
    'div',
    { class: 'fork-form' },
    h(
      'p',
      { class: 'muted' },
      'Replay this game from the start of a round, as a new game with its own code: the same history, hidden values and dice up to there. Play it another way and compare the games side by side: this tab then opens that page, which links back to this console.',
    ),
    h('label', { for: id }, 'Start the fork at the briefing of'),
    select,
    button,
    error,
  );
  return {
    el,
    update(v) {
      code = v.code;
      const rounds = forkableRounds(v);
      const keys = rounds.join(',');
      if (select.dataset.rounds !== keys) {
        const chosen = select.value;
        select.dataset.rounds = keys;
        select.replaceChildren(...rounds.map((r) => h('option', { value: String(r) }, `Round ${r}`)));
        select.value =
          picked && rounds.includes(Number(chosen)) ? chosen : String(rounds[rounds.length - 1] ?? '');
      }
      el.hidden = rounds.length === 0;
    },
  };
}
