import * as Phaser from 'phaser';
import { fixed } from '../model/board-format.ts';
import { footHeight, targetRect } from '../model/board-layout.ts';
import type { BoardLayout, BoardModel, BoardTarget, FlowItem, RaceSide, Rect } from '../model/board-model.ts';
import { flowRows, layoutBoard, lerpModel } from '../model/board-model.ts';
import { cssColour, PALETTE } from '../model/palette.ts';

/**
 * The board's picture, drawn with Phaser 4 (WebGL) from a `BoardModel`. It draws only when
 * something changes: a new model (tweened from the old one), the clock's text, a highlight, a
 * resize. In between, the game loop is put to sleep, so an idle board costs no frames at all.
 * Phaser's own input is off: clicks are hit-tested against the same layout in board.ts.
 */
export interface BoardRenderer {
  readonly rendererName: 'WebGL' | 'Canvas';
  show(model: BoardModel, animate: boolean): void;
  setClock(text: string): void;
  highlight(target: BoardTarget | null): void;
  resize(width: number, height: number): void;
  destroy(): void;
}

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const INK = cssColour(PALETTE.ink);
const MUTED = '#565c66';
const FOCUS = 0x6a3d9a;
const WHITE = 0xffffff;
const TRACK = 0xe8e4dc;
const TWEEN_MS = 900;
const SIDE_COLOUR = { us: PALETTE.us, china: PALETTE.china } as const;

interface TextOpts {
  size?: number;
  bold?: boolean;
  colour?: string;
  /** 1 anchors the right edge at x, 0.5 the centre. */
  originX?: number;
  wrap?: number;
  maxLines?: number;
}

/** What a Text was last given, so an unchanged label is not re-rendered. */
interface TextState {
  obj: Phaser.GameObjects.Text;
  text: string;
  size: number;
  bold: boolean;
  colour: string;
  wrap: number;
  maxLines: number;
  originX: number;
}

class BoardScene extends Phaser.Scene {
  private g!: Phaser.GameObjects.Graphics;
  private hl!: Phaser.GameObjects.Graphics;
  private readonly texts = new Map<string, TextState>();
  private used = new Set<string>();
  private ready = false;
  private dirty = false;
  private target: BoardModel | null = null;
  private shown: BoardModel | null = null;
  private from: BoardModel | null = null;
  private progress = 1;
  private tween: Phaser.Tweens.Tween | null = null;
  private pulse: Phaser.Tweens.Tween | null = null;
  private clock = '';
  private marked: BoardTarget | null = null;
  private layout: BoardLayout;
  private dpr: number;
  private drawnOnce = false;

  constructor(
    width: number,
    height: number,
    dpr: number,
    private readonly onDrawn: () => void,
  ) {
    super({ key: 'board' });
    this.layout = layoutBoard(width, height);
    this.dpr = dpr;
  }

  create(): void {
    this.cameras.main.setOrigin(0, 0).setZoom(this.dpr);
    this.g = this.add.graphics();
    this.hl = this.add.graphics().setDepth(10);
    this.ready = true;
    this.dirty = true;
  }

  override update(): void {
    if (this.dirty) {
      this.dirty = false;
      this.draw();
    }
    // Sleep once nothing moves; anything that changes the picture wakes the loop again.
    if (this.tweens.tweens.length === 0) this.game.loop.sleep();
  }

  private wake(): void {
    this.dirty = true;
    if (this.ready) this.game.loop.wake();
  }

  show(model: BoardModel, animate: boolean): void {
    const start = this.shown;
    this.target = model;
    this.tween?.stop();
    this.tween = null;
    if (!animate || !start || !this.ready) {
      this.shown = model;
      this.wake();
      return;
    }
    this.from = start;
    this.progress = 0;
    this.tween = this.tweens.addCounter({
      from: 0,
      to: 1,
      duration: TWEEN_MS,
      ease: 'Cubic.easeOut',
      onUpdate: (tw) => {
        this.progress = tw.getValue() ?? 1;
        this.dirty = true;
      },
      onComplete: () => {
        this.progress = 1;
        this.tween = null;
        this.dirty = true;
      },
    });
    this.wake();
  }

  setClock(text: string): void {
    if (text === this.clock) return;
    this.clock = text;
    this.wake();
  }

  mark(target: BoardTarget | null): void {
    this.marked = target;
    this.pulse?.stop();
    this.pulse = null;
    if (!this.ready) return;
    this.hl.setAlpha(1);
    if (target) {
      this.pulse = this.tweens.add({
        targets: this.hl,
        alpha: 0.25,
        duration: 420,
        yoyo: true,
        repeat: 3,
        onComplete: () => this.hl.setAlpha(1),
      });
    }
    this.wake();
  }

  resizeTo(width: number, height: number, dpr: number): void {
    this.layout = layoutBoard(width, height);
    if (dpr !== this.dpr) {
      // Text is rasterised at the device resolution; a new ratio needs new textures.
      for (const t of this.texts.values()) t.obj.destroy();
      this.texts.clear();
      this.dpr = dpr;
    }
    if (!this.ready) return;
    this.cameras.main.setSize(Math.round(width * dpr), Math.round(height * dpr)).setZoom(dpr);
    this.wake();
  }

  // ---- drawing -------------------------------------------------------------------------------

  private draw(): void {
    const to = this.target;
    if (!to) return;
    const m = this.from && this.progress < 1 ? lerpModel(this.from, to, this.progress) : to;
    this.shown = m;
    this.used.clear();
    const g = this.g;
    g.clear();
    const l = this.layout;
    this.drawHeader(m, l);
    this.drawRace(m, l);
    this.drawFlows(m, l);
    this.drawMeter(l.risk, 'Global AI risk', m.risk.value, m.risk.max, PALETTE.risk, 'risk', m.risk.floor);
    this.drawMeter(l.trust, 'Trust', m.trust.value, m.trust.max, PALETTE.trust, 'trust', null);
    this.text(
      'trust-align',
      l.trust.x + l.pad,
      l.trust.y + l.trust.h - l.pad - l.font * 1.3,
      m.flows.alignmentText,
      {
        colour: MUTED,
      },
    );
    this.drawDialogue(m, l);
    for (const [key, t] of this.texts) t.obj.setVisible(this.used.has(key));
    this.drawHighlight();
    if (!this.drawnOnce) {
      this.drawnOnce = true;
      this.game.events.once(Phaser.Core.Events.POST_RENDER, () => this.onDrawn());
    }
  }

  private drawHighlight(): void {
    const hl = this.hl;
    hl.clear();
    if (!this.marked) return;
    const r = targetRect(this.layout, this.marked);
    hl.lineStyle(4, FOCUS, 1);
    hl.strokeRoundedRect(r.x - 2, r.y - 2, r.w + 4, r.h + 4, 8);
  }

  private card(r: Rect): void {
    this.g.fillStyle(WHITE, 1).fillRoundedRect(r.x, r.y, r.w, r.h, 6);
    this.g.lineStyle(1, PALETTE.grid, 1).strokeRoundedRect(r.x + 0.5, r.y + 0.5, r.w - 1, r.h - 1, 6);
  }

  private text(key: string, x: number, y: number, s: string, o: TextOpts = {}): Phaser.GameObjects.Text {
    this.used.add(key);
    const size = Math.round(o.size ?? this.layout.font);
    const bold = o.bold ?? false;
    const colour = o.colour ?? INK;
    const wrap = Math.max(0, Math.floor(o.wrap ?? 0));
    const maxLines = o.maxLines ?? 0;
    const originX = o.originX ?? 0;
    let t = this.texts.get(key);
    if (!t) {
      const obj = this.add.text(x, y, s, {
        fontFamily: FONT,
        fontSize: `${size}px`,
        fontStyle: bold ? 'bold' : 'normal',
        color: colour,
        resolution: this.dpr,
        maxLines,
        ...(wrap ? { wordWrap: { width: wrap, useAdvancedWrap: false } } : {}),
      });
      obj.setOrigin(originX, 0);
      t = { obj, text: s, size, bold, colour, wrap, maxLines, originX };
      this.texts.set(key, t);
    } else {
      const obj = t.obj;
      if (t.size !== size) obj.setFontSize(size);
      if (t.bold !== bold) obj.setFontStyle(bold ? 'bold' : 'normal');
      if (t.colour !== colour) obj.setColor(colour);
      if (t.maxLines !== maxLines) obj.setMaxLines(maxLines);
      if (t.wrap !== wrap) obj.setWordWrapWidth(wrap || null, false);
      if (t.originX !== originX) obj.setOrigin(originX, 0);
      if (t.text !== s) obj.setText(s);
      Object.assign(t, { text: s, size, bold, colour, wrap, maxLines, originX });
      if (obj.x !== x || obj.y !== y) obj.setPosition(x, y);
    }
    return t.obj;
  }

  private drawHeader(m: BoardModel, l: BoardLayout): void {
    const r = l.header;
    this.card(r);
    const f = l.font;
    const y = r.y + (l.narrow ? l.pad * 0.6 : (r.h - f * 1.25) / 2);
    const left = `${m.header.roundText} · ${m.header.phaseLabel}`;
    const title = this.text('head-round', r.x + l.pad, y, left, { bold: true });
    const right = m.header.outcomeText ?? this.clock;
    const clock = this.text('head-clock', r.x + r.w - l.pad, y, right, { originX: 1, bold: m.header.paused });
    // On a phone the round and the clock may not fit one line: the clock drops to the next one.
    const clockBelow = l.narrow && title.x + title.width + f > clock.x - clock.width;
    clock.setY(clockBelow ? y + f * 1.6 : y);
    const ev = m.header.eventShort;
    if (!ev) return;
    const pending = m.header.event?.pending ?? false;
    // A small diamond marks the event; filled when a crisis is waiting for answers.
    const ex = l.narrow ? r.x + l.pad : title.x + title.width + f * 1.2;
    const ey = l.narrow ? y + f * 1.6 : y;
    const d = f * 0.45;
    const cy = ey + f * 0.65;
    this.g.fillStyle(pending ? PALETTE.danger : PALETTE.risk, 1);
    this.g.fillTriangle(ex, cy, ex + d, cy - d, ex + 2 * d, cy);
    this.g.fillTriangle(ex, cy, ex + d, cy + d, ex + 2 * d, cy);
    const tx = ex + 2 * d + f * 0.4;
    const room = (l.narrow && !clockBelow ? r.x + r.w - l.pad : clock.x - clock.width - f) - tx;
    this.text('head-event', tx, ey, ev, { wrap: Math.max(f * 4, room), maxLines: 1, bold: pending });
  }

  private drawRace(m: BoardModel, l: BoardLayout): void {
    const r = l.race;
    const f = l.font;
    const p = l.pad;
    this.card(r);
    this.title('race', r, 'Capability race', 'months of frontier progress');
    const race = m.race;
    const x0 = r.x + p + f * 3.6;
    const x1 = r.x + r.w - p - f * 0.8;
    const { min, max } = race.axis;
    const xOf = (v: number) => x0 + ((v - min) / (max - min || 1)) * (x1 - x0);
    const laneH = f * (l.narrow ? 3.9 : 2.7);
    const bar = Math.round(f * 0.9);
    const top = r.y + p + f * 2;
    const lanes: [RaceSide, number][] = [
      [race.us, top],
      [race.china, top + laneH],
    ];
    for (const [s, y] of lanes) {
      const colour = SIDE_COLOUR[s.side];
      this.text(`race-name-${s.side}`, r.x + p, y - f * 0.15, s.name, {
        bold: true,
        colour: cssColour(colour),
      });
      this.g.fillStyle(TRACK, 1).fillRect(x0, y + bar / 2 - 2, x1 - x0, 4);
      if (!race.visible) {
        this.text(`race-val-${s.side}`, x0, y + bar + 2, 'secret until the end', { colour: MUTED });
        continue;
      }
      if (s.exact !== null) {
        const x = xOf(s.exact);
        this.g.fillStyle(colour, 1).fillRect(x0, y, Math.max(2, x - x0), bar);
        this.marker(s.side, x, y + bar / 2, bar * 0.8);
      } else if (s.estimate) {
        this.range(xOf(s.estimate.lo), xOf(s.estimate.hi), y - 2, bar + 4, colour);
        this.g.fillStyle(PALETTE.ink, 1).fillRect(xOf(s.estimate.value) - 1, y - 5, 2, bar + 10);
      }
      if (s.believed) {
        const by = s.side === 'us' ? PALETTE.china : PALETTE.us;
        const bx = xOf(s.believed.lo);
        this.g.fillStyle(by, 0.3).fillRect(bx, y + bar + 3, Math.max(2, xOf(s.believed.hi) - bx), 5);
        this.g.lineStyle(1, by, 1).strokeRect(bx, y + bar + 3, Math.max(2, xOf(s.believed.hi) - bx), 5);
      }
      this.text(`race-val-${s.side}`, x0, y + bar + (s.believed ? 9 : 3), s.short, {
        wrap: x1 - x0,
        maxLines: l.narrow ? 2 : 1,
        colour: s.exact !== null ? INK : MUTED,
      });
    }
    // Axis under the lanes, with a tick label every step that has room.
    const ay = top + 2 * laneH + 2;
    this.g.fillStyle(PALETTE.grid, 1).fillRect(x0, ay, x1 - x0, 1);
    let i = 0;
    if (race.visible) {
      const step = race.axis.step;
      const every = Math.max(1, Math.ceil((f * 3) / ((step / (max - min || 1)) * (x1 - x0))));
      for (let v = Math.ceil(min / step) * step, n = 0; v <= max + 1e-9; v += step, n++) {
        const x = xOf(v);
        this.g.fillStyle(PALETTE.grid, 1).fillRect(x - 0.5, ay, 1, 5);
        if (n % every === 0)
          this.text(`race-tick-${i++}`, x, ay + 5, String(Math.round(v)), { originX: 0.5, colour: MUTED });
      }
    }
    this.text('race-lead', r.x + p, ay + 5 + f * 1.6, race.leadText, {
      bold: true,
      wrap: r.w - 2 * p,
      maxLines: l.narrow ? 2 : 1,
    });
  }

  /** US is a circle and China a square, so the two markers differ in shape as well as colour. */
  private marker(side: 'us' | 'china', x: number, y: number, size: number): void {
    const g = this.g;
    g.lineStyle(2, WHITE, 1).fillStyle(SIDE_COLOUR[side], 1);
    if (side === 'us') {
      g.fillCircle(x, y, size);
      g.strokeCircle(x, y, size);
    } else {
      g.fillRect(x - size, y - size, size * 2, size * 2);
      g.strokeRect(x - size, y - size, size * 2, size * 2);
    }
  }

  /** An uncertain range: light fill, outline and diagonal hatching, so it never reads as a point. */
  private range(xa: number, xb: number, y: number, h: number, colour: number): void {
    const g = this.g;
    const w = Math.max(3, xb - xa);
    g.fillStyle(colour, 0.22).fillRect(xa, y, w, h);
    g.lineStyle(1, colour, 0.9);
    for (let x = xa + 4; x + h * 0.6 < xa + w; x += 7) g.lineBetween(x, y + h, x + h * 0.6, y);
    g.strokeRect(xa, y, w, h);
  }

  /** A card's title, with its unit on the right when both fit on one line. */
  private title(key: string, r: Rect, title: string, unit: string): void {
    const { font: f, pad: p } = this.layout;
    const t = this.text(`${key}-title`, r.x + p, r.y + p, title, { bold: true, size: f * 1.1 });
    if (t.width + f + unit.length * f * 0.55 < r.w - 2 * p)
      this.text(`${key}-unit`, r.x + r.w - p, r.y + p + f * 0.1, unit, { originX: 1, colour: MUTED });
  }

  private drawFlows(m: BoardModel, l: BoardLayout): void {
    const r = l.flows;
    const f = l.font;
    const p = l.pad;
    this.card(r);
    this.title('flows', r, "China's compute sources", 'compute a round');
    const arrow = f * 0.9;
    for (const row of flowRows(l)) {
      const item = m.flows.items.find((it) => it.id === row.id);
      if (!item) continue;
      const name = this.text(`flow-name-${row.id}`, r.x + p, row.nameY, item.shortName, { bold: true });
      if (item.openText)
        this.text(`flow-open-${row.id}`, name.x + name.width + f * 0.4, row.nameY, `· ${item.openText}`, {
          colour: MUTED,
        });
      this.text(`flow-val-${row.id}`, r.x + p, row.valueY, item.short, {
        colour: item.flow && item.exact ? INK : MUTED,
        wrap: row.textW,
        maxLines: 1,
      });
      this.band(item, row.x0, row.x1, row.bandY, row.band, arrow);
    }
    this.text('flows-total', r.x + p, r.y + r.h - p - footHeight(f, l.narrow), m.flows.totalText, {
      wrap: r.w - 2 * p,
      maxLines: l.narrow ? 2 : 1,
      colour: m.flows.total ? INK : MUTED,
    });
  }

  /** One source: its capacity as a pale channel, a gate as wide as the openness, the flow as a band. */
  private band(it: FlowItem, x0: number, x1: number, cy: number, full: number, arrow: number): void {
    const g = this.g;
    const c = PALETTE.china;
    const thick = (n: number) => (n > 0 ? Math.max(1.5, full * n) : 0);
    if (it.capacity !== null && it.openness !== null) {
      const cap = thick(it.norm.capacity);
      g.fillStyle(c, 0.08).fillRect(x0, cy - cap / 2, x1 - x0, cap);
      g.lineStyle(1, c, 0.35).strokeRect(x0, cy - cap / 2, x1 - x0, cap);
      // The gate: dark bars closing the channel from both edges, leaving the open share.
      const shut = (cap * (1 - it.openness)) / 2;
      g.fillStyle(PALETTE.ink, 1);
      g.fillRect(x0 - 3, cy - cap / 2 - 2, 6, shut + 2);
      g.fillRect(x0 - 3, cy + cap / 2 - shut, 6, shut + 2);
    }
    if (!it.flow) return;
    const hi = thick(it.norm.hi);
    const lo = thick(it.norm.lo);
    const start = x0 + 4;
    if (!it.exact) {
      g.fillStyle(c, 0.3).fillRect(start, cy - hi / 2, x1 - start, hi);
      g.fillTriangle(x1, cy - hi / 2 - 3, x1 + arrow, cy, x1, cy + hi / 2 + 3);
    }
    if (lo > 0) {
      g.fillStyle(c, 1).fillRect(start, cy - lo / 2, x1 - start, lo);
      g.fillTriangle(x1, cy - lo / 2 - 3, x1 + arrow, cy, x1, cy + lo / 2 + 3);
    }
  }

  private drawMeter(
    r: Rect,
    title: string,
    value: number,
    max: number,
    colour: number,
    key: string,
    floor: number | null,
  ): void {
    const l = this.layout;
    const f = l.font;
    const p = l.pad;
    this.card(r);
    this.text(`${key}-title`, r.x + p, r.y + p, title, { bold: true, size: f * 1.1 });
    this.text(`${key}-value`, r.x + r.w - p, r.y + p, `${fixed(value)} of ${fixed(max, 0)}`, {
      originX: 1,
      bold: true,
    });
    const x0 = r.x + p;
    const x1 = r.x + r.w - p - (floor !== null ? 4 : 0);
    const y = r.y + p + f * 1.8;
    const h = Math.round(f * 1.1);
    const frac = Math.max(0, Math.min(1, value / (max || 1)));
    const g = this.g;
    g.fillStyle(TRACK, 1).fillRect(x0, y, x1 - x0, h);
    g.fillStyle(colour, 1).fillRect(x0, y, (x1 - x0) * frac, h);
    g.lineStyle(1, PALETTE.grid, 1).strokeRect(x0, y, x1 - x0, h);
    if (floor === null) return;
    // The limit is the catastrophe line: a thick red bar past the end of the meter, labelled.
    g.fillStyle(PALETTE.danger, 1).fillRect(x1, y - 5, 4, h + 10);
    const fx = x0 + (x1 - x0) * (floor / (max || 1));
    g.fillStyle(PALETTE.ink, 1).fillRect(fx - 1, y + h, 2, 5);
    if (frac >= 0.75) g.lineStyle(3, PALETTE.danger, 1).strokeRect(x0 - 1, y - 1, x1 - x0 + 2, h + 2);
    this.text(`${key}-floor`, x0, y + h + 5, `floor ${fixed(floor, 0)}`, { colour: MUTED });
    this.text(`${key}-limit`, x1 + 4, y + h + 5, `catastrophe at ${fixed(max, 0)}`, {
      originX: 1,
      colour: cssColour(PALETTE.danger),
      bold: true,
    });
  }

  private drawDialogue(m: BoardModel, l: BoardLayout): void {
    const r = l.dialogue;
    const f = l.font;
    const p = l.pad;
    const d = m.dialogue;
    const g = this.g;
    this.card(r);
    this.text('dlg-title', r.x + p, r.y + p, 'Dialogue', { bold: true, size: f * 1.1 });
    const iconX = r.x + p + f * 0.45;
    const textX = r.x + p + f * 1.3;
    const wrap = r.x + r.w - p - textX;
    let y = r.y + p + f * 1.9;
    const lineGap = f * 0.35;
    const line = (key: string, s: string, opts: TextOpts = {}) => {
      const t = this.text(key, textX, y, s, { wrap, ...opts });
      const top = y;
      y += t.height + lineGap;
      return top + f * 0.65;
    };
    let cy = line('dlg-talks', d.talksText, { bold: d.talksOpen });
    this.icon(iconX, cy, f * 0.38, d.talksOpen ? 'full' : 'empty', PALETTE.trust);
    const hotline = d.hotlineText === 'Hotline: in force';
    cy = line('dlg-hotline', d.hotlineText, { bold: hotline });
    this.icon(iconX, cy, f * 0.38, hotline ? 'full' : 'empty', PALETTE.trust);
    y += lineGap;
    g.fillStyle(PALETTE.grid, 1).fillRect(r.x + p, y - lineGap, r.w - 2 * p, 1);
    const bottom = r.y + r.h - p;
    let shown = 0;
    for (const a of d.agreements) {
      if (y + f * 2.6 > bottom - (shown < d.agreements.length - 1 ? f * 1.4 : 0)) break;
      const kind =
        a.status === 'violated' ? 'cross' : a.prominent ? 'full' : a.status === 'accepted' ? 'half' : 'empty';
      cy = line(`dlg-ag-${shown}`, `${a.name}: ${a.statusText}`, {
        bold: a.prominent,
        colour: a.status === 'violated' ? cssColour(PALETTE.danger) : INK,
        maxLines: 3,
      });
      this.icon(iconX, cy, f * 0.38, kind, a.status === 'violated' ? PALETTE.danger : PALETTE.trust);
      shown++;
    }
    const more = d.agreements.length - shown;
    const tail = [more > 0 ? `${more} more in "Board in words"` : '', d.pastText ?? '']
      .filter(Boolean)
      .join(' ');
    if (tail && y + f * 1.3 <= bottom) line('dlg-more', tail, { colour: MUTED, maxLines: 1 });
    else if (!d.agreements.length && y + f * 1.3 <= bottom)
      line('dlg-more', 'No agreements yet', { colour: MUTED });
  }

  /** Status shapes: filled (in force), half (agreed), empty (proposed or closed), cross (broken). */
  private icon(
    x: number,
    y: number,
    r: number,
    kind: 'full' | 'half' | 'empty' | 'cross',
    colour: number,
  ): void {
    const g = this.g;
    if (kind === 'cross') {
      g.lineStyle(3, colour, 1);
      g.lineBetween(x - r, y - r, x + r, y + r);
      g.lineBetween(x - r, y + r, x + r, y - r);
      return;
    }
    if (kind === 'full') g.fillStyle(colour, 1).fillCircle(x, y, r);
    if (kind === 'half')
      g.fillStyle(colour, 1)
        .slice(x, y, r, Math.PI / 2, (3 * Math.PI) / 2)
        .fillPath();
    g.lineStyle(2, colour, 1).strokeCircle(x, y, r);
  }
}

/**
 * Starts Phaser in `parent` at the given CSS size. The canvas is backed at the device pixel
 * ratio and scaled down by CSS (with a camera zoom), so lines and text stay sharp on a laptop's
 * high-density screen and on a projector.
 */
export function createRenderer(
  parent: HTMLElement,
  width: number,
  height: number,
  onDrawn: (renderer: 'WebGL' | 'Canvas') => void,
): BoardRenderer {
  const dpr0 = Math.min(3, window.devicePixelRatio || 1);
  let game: Phaser.Game | null = null;
  const scene = new BoardScene(width, height, dpr0, () => onDrawn(api.rendererName));
  let size = { width, height, dpr: dpr0 };
  const fitCanvas = () => {
    if (!game) return;
    game.scale.resize(Math.round(size.width * size.dpr), Math.round(size.height * size.dpr));
    game.canvas.style.width = `${size.width}px`;
    game.canvas.style.height = `${size.height}px`;
  };
  game = new Phaser.Game({
    type: Phaser.WEBGL,
    parent,
    width: Math.round(width * dpr0),
    height: Math.round(height * dpr0),
    backgroundColor: cssColour(PALETTE.paper),
    banner: false,
    audio: { noAudio: true },
    autoFocus: false,
    input: { keyboard: false, mouse: false, touch: false, gamepad: false },
    // The board sizes the canvas itself (see `resize`), so Phaser must not follow the parent.
    scale: { mode: Phaser.Scale.NONE, expandParent: false },
    render: { antialias: true, antialiasGL: true, powerPreference: 'low-power' },
    scene,
    callbacks: { postBoot: () => fitCanvas() },
  });
  const api: BoardRenderer = {
    get rendererName() {
      return game?.renderer?.type === Phaser.CANVAS ? 'Canvas' : 'WebGL';
    },
    show: (model, animate) => scene.show(model, animate),
    setClock: (text) => scene.setClock(text),
    highlight: (target) => scene.mark(target),
    resize(w, h) {
      const dpr = Math.min(3, window.devicePixelRatio || 1);
      if (w === size.width && h === size.height && dpr === size.dpr) return;
      size = { width: w, height: h, dpr };
      fitCanvas();
      scene.resizeTo(w, h, dpr);
    },
    destroy() {
      const gm = game;
      game = null;
      if (!gm) return;
      gm.destroy(true);
      // Destruction happens on the next step; a sleeping loop has to be woken to take it.
      if (gm.isBooted) gm.loop.wake();
    },
  };
  return api;
}
