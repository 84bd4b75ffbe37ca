import { h, replaceChildren } from '../dom.ts';
import { type TableCard, tableCard } from '../model/class-model.ts';
import { seatHash } from '../model/route.ts';
import { downloadExport, gameInfo } from '../net/api.ts';
import { Session } from '../net/session.ts';
import { busy, type CommandTable, refusal, running } from './class-commands.ts';

/** The one command a table's own button offers: start it, pause it or resume it. */
function oneCommand(
  c: TableCard,
): { name: 'fac:start' | 'fac:pause' | 'fac:resume'; label: string; done: string } | null {
  if (c.inLobby) return { name: 'fac:start', label: 'Start', done: 'started' };
  if (!running(c)) return null;
  return c.paused
    ? { name: 'fac:resume', label: 'Resume', done: 'resumed' }
    : { name: 'fac:pause', label: 'Pause', done: 'paused' };
}

/**
 * One table on the class page: its connection (the table's facilitator seat), its code and join
 * QR code, where it stands, who is there, what needs the teacher, and its own buttons.
 */
export class ClassTablePanel implements CommandTable {
  readonly session: Session;
  readonly el: HTMLElement;
  card: TableCard | null = null;
  private readonly code = h('span', { class: 'table-code-value' });
  /** What this table's own buttons did, said next to them rather than at the top of the page. */
  private readonly note = h('p', { class: 'table-note', role: 'status' });
  private readonly stage = h('p', { class: 'table-stage' }, 'Connecting…');
  private readonly body = h('div', { class: 'table-body' });
  private readonly toggle = h('button', { type: 'button', hidden: true }, '');
  /** Hidden until the table's view arrives: the export needs its code. */
  private readonly report: HTMLButtonElement;
  private readonly joinImg: HTMLImageElement;
  private readonly joinLink = h('a', { class: 'join-link' });
  /** The round and phase last shown, to tell when the table has moved on. */
  private phaseKey: string | null = null;

  constructor(
    token: string,
    readonly label: string,
  ) {
    this.session = new Session(token);
    this.report = h('button', { type: 'button', hidden: true }, `Download the report of ${label}`);
    this.joinImg = h('img', { class: 'qr', width: 160, height: 160, alt: `QR code of ${label}’s join link` });
    const id = `${label.replace(' ', '-')}-title`;
    this.el = h(
      'article',
      { class: 'card table-card', 'aria-labelledby': id },
      h('h3', { id, tabindex: -1 }, label),
      h('p', { class: 'table-code' }, h('span', { class: 'visually-hidden' }, 'Room code '), this.code),
      this.stage,
      this.body,
      h(
        'div',
        { class: 'table-actions' },
        h('a', { href: seatHash(token), target: '_blank', rel: 'noopener' }, `Open the console of ${label}`),
        this.toggle,
        this.report,
      ),
      this.note,
      h(
        'details',
        { class: 'table-join' },
        h('summary', null, `Join link and QR code of ${label}`),
        h('p', null, this.joinLink),
        this.joinImg,
      ),
    );
    this.toggle.addEventListener('click', () => void this.runOne());
    this.report.addEventListener('click', async () => {
      const c = this.card;
      if (!c || !busy.claim(this.report)) return;
      const why = await downloadExport(c.code, token, 'md', `hotline-${c.code}-report.md`);
      busy.release(this.report);
      this.note.textContent = why ? `The report could not be downloaded: ${why}` : '';
    });
  }

  private async runOne(): Promise<void> {
    const c = this.card;
    const cmd = c && oneCommand(c);
    if (!cmd || !busy.claim(this.toggle)) return;
    const ack = await this.session.send(cmd.name, {});
    busy.release(this.toggle);
    // The command moves the table on (a start opens the briefing): this note is about that move,
    // so the next phase to clear it is the one after, whichever of the view and this answer came first.
    this.phaseKey = null;
    const warnings = ack.ok && cmd.name === 'fac:start' ? c.attention : [];
    this.note.textContent = ack.ok
      ? [`${this.label} ${cmd.done}.`, ...warnings].join(' ')
      : `${this.label}: ${refusal(ack)}`;
  }

  update(now: number): void {
    const v = this.session.view;
    if (!v) {
      this.stage.textContent =
        this.session.status === 'refused'
          ? `This link no longer opens ${this.label}: ${this.session.message ?? 'unknown seat'}.`
          : 'Connecting…';
      return;
    }
    const c = tableCard(this.label, v, now);
    this.card = c;
    const offline = this.session.status !== 'online' ? ' · reconnecting…' : '';
    this.code.textContent = c.code;
    // A note about the table's last command is news only until the table moves to its next phase.
    const phaseKey = `${v.round}:${v.phase}`;
    if (this.phaseKey !== null && this.phaseKey !== phaseKey) this.note.textContent = '';
    this.phaseKey = phaseKey;
    // A refusal for want of a connection is stale once the table is back.
    if (this.session.status === 'online' && this.note.textContent?.includes('not sent'))
      this.note.textContent = '';
    this.stage.textContent = `${c.stage}${c.clock ? ` · ${c.clock}` : ''}${offline}`;
    if (!this.joinImg.src) this.showJoin(c.code);
    this.renderBody(c);
    this.report.hidden = false;
    const cmd = oneCommand(c);
    // A focused button about to vanish (its table has ended) hands focus to the table's heading.
    if (cmd === null && document.activeElement === this.toggle)
      this.el.querySelector<HTMLElement>('h3')?.focus();
    this.toggle.hidden = cmd === null;
    if (cmd) this.toggle.textContent = `${cmd.label} ${this.label}`;
  }

  private showJoin(code: string): void {
    this.joinImg.src = `/api/games/${code}/qr.svg`;
    // The server knows the address players reach it by (PUBLIC_URL), which may not be this page's.
    const show = (url: string) => {
      this.joinLink.href = url;
      this.joinLink.textContent = url;
    };
    show(`${location.origin}/#/join/${code}`);
    gameInfo(code).then(
      (info) => show(info.joinLink),
      () => {},
    );
  }

  private renderBody(c: TableCard): void {
    replaceChildren(
      this.body,
      c.attention.length
        ? h(
            'ul',
            { class: 'table-attention' },
            c.attention.map((a) => h('li', null, a)),
          )
        : null,
      c.fork ? h('p', { class: 'table-fork' }, c.fork) : null,
      c.outcome ? h('p', { class: 'table-outcome' }, h('strong', null, 'Outcome: '), c.outcome) : null,
      c.queued ? h('p', { class: 'table-queued' }, h('strong', null, 'Queued event: '), c.queued) : null,
      h(
        'dl',
        { class: 'table-facts' },
        c.teams.flatMap((team) => {
          const more = [team.presence, team.activity].filter(Boolean).join(', ');
          return [
            h('dt', null, team.label),
            h('dd', null, team.people, more ? h('span', { class: 'muted' }, ` — ${more}`) : null),
          ];
        }),
        c.observers ? [h('dt', null, 'Observers'), h('dd', null, String(c.observers))] : null,
        c.numbers.flatMap((n) => [h('dt', null, n.label), h('dd', null, n.value)]),
      ),
    );
  }

  close(): void {
    this.session.close();
  }
}
