import { nanoid } from 'nanoid';
import { botsFor } from '../../../shared/bots/index.ts';
import type { CreateGameResponse } from '../../../shared/protocol/events.ts';
import {
  MAX_SEED_LENGTH,
  MAX_TITLE_LENGTH,
  SUGGESTED_TITLES,
  TIMED_PHASES,
} from '../../../shared/protocol/room.ts';
import { SIDES } from '../../../shared/rules/ids.ts';
import { h } from '../dom.ts';
import {
  createRequest,
  PACES,
  type Pace,
  PHASE_LABELS,
  paceMinutes,
  SCENARIOS,
  tablesCount,
} from '../model/create-form.ts';
import { roleLabel } from '../model/labels.ts';
import { classHash, compareHash, MAX_TABLES, seatHash } from '../model/route.ts';
import { ApiError, createGame } from '../net/api.ts';
import {
  forgetClass,
  forgetSeat,
  saveClass,
  savedClasses,
  savedSeats,
  saveSeat,
} from '../net/saved-seats.ts';
import { joinGame } from '../net/session.ts';
import './landing.css';

/** The landing page: join a game by code, create one, or go back to a game this browser holds. */
export function showLanding(root: HTMLElement, code: string | null): () => void {
  document.title = 'Hotline';
  root.append(
    h(
      'header',
      { class: 'landing-head' },
      h('h1', null, 'Hotline'),
      h(
        'p',
        null,
        'A wargame of the US–China race in artificial intelligence: two teams trade export controls, talks and ' +
          'development moves, quarter by quarter, while crises test whether anyone picks up the phone.',
      ),
    ),
    h('main', { class: 'landing' }, joinSection(code), createSection(), yourGames()),
  );
  const first = root.querySelector<HTMLInputElement>(code ? '#join-name' : '#join-code');
  first?.focus();
  return () => {};
}

function field(id: string, label: string, input: HTMLElement, hint?: string): HTMLElement {
  input.id = id;
  if (hint) input.setAttribute('aria-describedby', `${id}-hint`);
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    input,
    hint ? h('p', { id: `${id}-hint`, class: 'hint muted' }, hint) : null,
  );
}

function joinSection(code: string | null): HTMLElement {
  const codeInput = h('input', {
    name: 'code',
    required: true,
    autocomplete: 'off',
    autocapitalize: 'characters',
    spellcheck: 'false',
    maxlength: 6,
    pattern: '[A-Za-z0-9]{6}',
    value: code ?? '',
    class: 'code-input',
  });
  const nameInput = h('input', { name: 'name', required: true, maxlength: 40, autocomplete: 'nickname' });
  // Think-tank teams often split into offices (Commerce, State / MOFCOM, MFA): a title says who speaks for which.
  const titles = h('datalist', { id: 'join-title-suggestions' });
  const titleInput = h('input', {
    name: 'title',
    maxlength: MAX_TITLE_LENGTH,
    autocomplete: 'off',
    list: 'join-title-suggestions',
  });
  const suggest = (role: string) => {
    const list = role === 'us' || role === 'china' ? SUGGESTED_TITLES[role] : ['Note-taker', 'Rapporteur'];
    titles.replaceChildren(...list.map((t) => h('option', { value: t })));
  };
  suggest('us');
  const roles = h(
    'fieldset',
    { class: 'roles' },
    h('legend', null, 'Play as'),
    (['us', 'china', 'observer'] as const).map((r, i) =>
      h(
        'label',
        { class: `role role-${r}` },
        h('input', { type: 'radio', name: 'role', value: r, checked: i === 0 }),
        roleLabel(r),
      ),
    ),
  );
  roles.addEventListener('change', (e) => suggest((e.target as HTMLInputElement).value));
  const error = h('p', { class: 'error', role: 'alert' });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Join game');
  const form = h(
    'form',
    { novalidate: true },
    field('join-code', 'Room code', codeInput, 'Six letters or digits, from the facilitator’s screen'),
    field('join-name', 'Your name', nameInput),
    roles,
    field(
      'join-seat-title',
      'Your title in the team (optional)',
      titleInput,
      'For example Commerce or State on the US team, MOFCOM or MFA on the China team',
    ),
    titles,
    button,
    error,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const roomCode = codeInput.value.trim().toUpperCase();
    const name = nameInput.value.trim();
    const role = (form.querySelector<HTMLInputElement>('input[name=role]:checked')?.value ?? 'us') as
      | 'us'
      | 'china'
      | 'observer';
    if (!/^[A-Z0-9]{6}$/.test(roomCode)) return fail(error, codeInput, 'Enter the six-character room code.');
    if (!name) return fail(error, nameInput, 'Enter a name for the others to see.');
    button.disabled = true;
    error.textContent = '';
    const title = titleInput.value.trim();
    const ack = await joinGame(
      title ? { code: roomCode, name, role, title } : { code: roomCode, name, role },
    );
    button.disabled = false;
    if (!ack.ok) return fail(error, codeInput, ack.message);
    saveSeat({ token: ack.data.token, code: roomCode, role, name, savedAt: Date.now() });
    location.hash = seatHash(ack.data.token);
  });
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'join-title' },
    h('h2', { id: 'join-title' }, 'Join a game'),
    form,
  );
}

function fail(error: HTMLElement, input: HTMLElement, message: string): void {
  error.textContent = message;
  input.setAttribute('aria-invalid', 'true');
  input.focus();
}

function createSection(): HTMLElement {
  const scenario = h(
    'select',
    { name: 'scenario' },
    SCENARIOS.map((s) => h('option', { value: s.id }, s.label)),
  );
  const rounds = h('input', {
    type: 'number',
    name: 'rounds',
    min: 1,
    max: 6,
    value: 6,
    inputmode: 'numeric',
  });
  const pace = h(
    'select',
    { name: 'pace' },
    Object.entries(PACES).map(([id, p]) => h('option', { value: id }, p.label)),
  );
  const minutes = Object.fromEntries(
    TIMED_PHASES.map((p) => [
      p,
      h('input', { type: 'number', name: p, min: 1, step: 'any', inputmode: 'decimal' }),
    ]),
  ) as Record<(typeof TIMED_PHASES)[number], HTMLInputElement>;
  const fillPace = () => {
    const m = paceMinutes(pace.value as Pace);
    for (const p of TIMED_PHASES) minutes[p].value = String(m[p]);
  };
  fillPace();
  pace.addEventListener('change', fillPace);
  scenario.addEventListener('change', () => {
    const s = SCENARIOS.find((x) => x.id === scenario.value);
    if (!s) return;
    rounds.max = String(s.rounds);
    rounds.value = String(s.rounds);
    if (s.id === 'baseline-2026' && pace.value === 'classroom') {
      pace.value = 'exercise';
      fillPace();
    }
  });
  const bots = Object.fromEntries(
    SIDES.map((side) => [
      side,
      h(
        'select',
        { name: `bot-${side}` },
        h('option', { value: '' }, 'People'),
        botsFor(side).map((b) => h('option', { value: b.id }, `Bot: ${b.label}`)),
      ),
    ]),
  ) as Record<'us' | 'china', HTMLSelectElement>;
  const tables = h('input', {
    type: 'number',
    name: 'tables',
    min: 1,
    max: MAX_TABLES,
    value: 1,
    inputmode: 'numeric',
  });
  const seed = h('input', { type: 'text', name: 'seed', maxlength: MAX_SEED_LENGTH, autocomplete: 'off' });
  const error = h('p', { class: 'error', role: 'alert' });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Create game');
  tables.addEventListener('input', () => {
    const n = tablesCount(tables.value);
    button.textContent = n.ok && n.n > 1 ? `Create ${n.n} games` : 'Create game';
  });
  const form = h(
    'form',
    { novalidate: true },
    field('create-scenario', 'Scenario', scenario),
    field('create-rounds', 'Rounds', rounds, 'Each round is a quarter of a year'),
    field(
      'create-pace',
      'Pace',
      pace,
      'Live for a class or a think-tank exercise, or over several days for remote teams; it fills each phase’s clock below',
    ),
    h(
      'details',
      { class: 'clocks' },
      h('summary', null, 'Set each phase’s clock'),
      TIMED_PHASES.map((p) => field(`create-${p}`, `${PHASE_LABELS[p]} (minutes)`, minutes[p])),
    ),
    field('create-bot-us', 'US team played by', bots.us),
    field('create-bot-china', 'China team played by', bots.china),
    field(
      'create-tables',
      'Tables',
      tables,
      `For a class: one game per group, all with these settings, and a page that shows every table (up to ${MAX_TABLES})`,
    ),
    h(
      'details',
      { class: 'seed-box' },
      h('summary', null, 'Choose the dice (seed)'),
      field(
        'create-seed',
        'Seed',
        seed,
        'Blank for fresh dice. Games made with the same seed start with the same dice, so a rerun or another table faces the same luck until their choices differ. A class’s tables always share one seed.',
      ),
    ),
    button,
    error,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    for (const x of form.querySelectorAll('[aria-invalid]')) x.removeAttribute('aria-invalid');
    const result = createRequest({
      scenarioId: scenario.value,
      rounds: rounds.value,
      minutes: Object.fromEntries(TIMED_PHASES.map((p) => [p, minutes[p].value])) as Record<
        (typeof TIMED_PHASES)[number],
        string
      >,
      bots: { us: bots.us.value, china: bots.china.value },
      seed: seed.value,
    });
    const count = tablesCount(tables.value);
    if (result.ok && !count.ok)
      return fail(error, tables, `${count.message.charAt(0).toUpperCase()}${count.message.slice(1)}.`);
    if (!result.ok) {
      // Focus goes to the field the message names (a phase clock may sit in the closed "clocks" section).
      const input =
        result.field === 'scenario'
          ? scenario
          : result.field === 'rounds'
            ? rounds
            : result.field === 'seed'
              ? seed
              : (minutes as Record<string, HTMLInputElement>)[result.field];
      const box = input?.closest('details');
      if (box) box.open = true;
      const message = result.message.charAt(0).toUpperCase() + result.message.slice(1);
      if (input) fail(error, input, `${message}.`);
      else error.textContent = message;
      return;
    }
    button.disabled = true;
    error.textContent = '';
    const n = count.ok ? count.n : 1;
    // A class's tables share one seed, so the comparison shows choices rather than luck.
    const request = n > 1 && !result.request.seed ? { ...result.request, seed: nanoid(12) } : result.request;
    const made: CreateGameResponse[] = [];
    try {
      // One after another: a refusal stops the rest, and the games made so far stay listed below.
      for (let i = 0; i < n; i++) {
        if (n > 1) button.textContent = `Creating game ${i + 1} of ${n}…`;
        const game = await createGame(request);
        made.push(game);
        saveSeat({
          token: game.facilitatorToken,
          code: game.code,
          role: 'facilitator',
          name: n > 1 ? `Facilitator, table ${i + 1}` : 'Facilitator',
          savedAt: Date.now(),
        });
      }
      if (n === 1 && made[0]) {
        location.hash = seatHash(made[0].facilitatorToken);
        return;
      }
      const tokens = made.map((g) => g.facilitatorToken);
      saveClass({
        tokens,
        codes: made.map((g) => g.code),
        ...(request.seed ? { seed: request.seed } : {}),
        savedAt: Date.now(),
      });
      location.hash = classHash(tokens);
    } catch (err) {
      const why = err instanceof ApiError ? err.message : 'The server could not be reached. Try again.';
      error.textContent = made.length
        ? `${why} (${made.length} of ${n} games were created; they are listed under “Your games on this device”.)`
        : why;
      button.disabled = false;
      button.textContent = n > 1 ? `Create ${n} games` : 'Create game';
    }
  });
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'create-title' },
    h('h2', { id: 'create-title' }, 'Create a game'),
    h(
      'p',
      { class: 'muted' },
      'For the facilitator: you get a room code for the players and a console to run the game. A teacher ' +
        'can set up one game per group at once, with a page that follows every table.',
    ),
    form,
  );
}

/** A link back to something this browser holds, with a button that forgets it. */
function returnItem(href: string, text: string, forgetLabel: string, forget: () => void): HTMLElement {
  const button = h('button', { type: 'button', class: 'link', 'aria-label': forgetLabel }, 'Forget');
  const item = h('li', null, h('a', { href }, text), ' ', button);
  button.addEventListener('click', () => {
    forget();
    item.remove();
  });
  return item;
}

function yourGames(): HTMLElement | null {
  const seats = savedSeats();
  const classes = savedClasses();
  if (seats.length === 0 && classes.length === 0) return null;
  const list = h(
    'ul',
    { class: 'your-games' },
    classes.map((c) => {
      const codes = c.codes.filter(Boolean).join(', ');
      const name = c.compare
        ? `game ${c.codes[0] ?? ''} beside its fork${c.codes[1] ? ` ${c.codes[1]}` : ''}`
        : `the class of ${c.tokens.length} tables${codes ? ` (${codes})` : ''}`;
      const href = c.compare ? compareHash(c.tokens) : classHash(c.tokens);
      return returnItem(href, `Return to ${name}`, `Forget ${name}`, () => forgetClass(c.tokens));
    }),
    seats.map((s) =>
      returnItem(
        seatHash(s.token),
        `Return to ${s.code} as ${roleLabel(s.role)} (${s.name})`,
        `Forget game ${s.code} as ${roleLabel(s.role)}`,
        () => forgetSeat(s.token),
      ),
    ),
  );
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'yours-title' },
    h('h2', { id: 'yours-title' }, 'Your games on this device'),
    list,
  );
}
