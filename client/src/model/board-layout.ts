import type { BoardTarget } from './board-model.ts';
import { FLOW_IDS } from './board-names.ts';

/**
 * Where each part of the board goes, in CSS pixels. Wide boards put the race and China's compute
 * sources on the left and the meters and dialogue on the right; narrow ones (phones) stack
 * everything in one column and grow taller instead of shrinking the text.
 */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface BoardLayout {
  width: number;
  height: number;
  narrow: boolean;
  /** Body text size in CSS pixels; titles are a little larger. */
  font: number;
  pad: number;
  header: Rect;
  race: Rect;
  flows: Rect;
  risk: Rect;
  trust: Rect;
  dialogue: Rect;
}

/** Below this width the board is one column. */
export const NARROW_BELOW = 760;
export const MIN_FONT = 14;
const MAX_FONT = 24;

/** 14 px on a laptop-sized board, growing on big screens and projectors, never smaller. */
export function boardFont(width: number): number {
  return Math.max(MIN_FONT, Math.min(MAX_FONT, Math.round(width / 57)));
}

const titleHeight = (font: number) => Math.round(font * 1.7);
/** The total under the flow rows: one line when wide, two when narrow. */
export const footHeight = (font: number, narrow: boolean) => Math.round(font * (narrow ? 2.7 : 1.5));
/** A flow row holds two lines of text beside its band; on a phone the band goes under them. */
const minRow = (font: number) => Math.round(font * 2.7);
const stackedBand = (font: number) => Math.round(font * 1.6);
const stackedRow = (font: number) => Math.round(font * 3.1) + stackedBand(font);
/** Height of the race: title, two lanes, the axis and the lead (lane labels and lead take two lines when narrow). */
const raceHeight = (font: number, narrow: boolean) => Math.round(font * (narrow ? 16 : 12.2));

function narrowLayout(width: number, font: number, pad: number): BoardLayout {
  const w = width - 2 * pad;
  let y = pad;
  const next = (h: number): Rect => {
    const r = { x: pad, y, w, h };
    y += h + pad;
    return r;
  };
  const header = next(Math.round(font * 3.8));
  const race = next(raceHeight(font, true));
  const flows = next(
    titleHeight(font) + FLOW_IDS.length * stackedRow(font) + footHeight(font, true) + 2 * pad,
  );
  const risk = next(Math.round(font * 5.2));
  const trust = next(Math.round(font * 5.4));
  const dialogue = next(Math.round(font * 14));
  return { width, height: y, narrow: true, font, pad, header, race, flows, risk, trust, dialogue };
}

/** The least height a wide board needs for its text to fit. */
const minWideHeight = (font: number) => Math.round(font * 35);

export function layoutBoard(width: number, height: number): BoardLayout {
  const font = boardFont(width);
  const pad = Math.round(font * 0.6);
  if (width < NARROW_BELOW) return narrowLayout(width, font, pad);
  const header: Rect = { x: pad, y: pad, w: width - 2 * pad, h: Math.round(font * 2.3) };
  const top = header.y + header.h + pad;
  const bodyH = Math.max(height, minWideHeight(font)) - top - pad;
  const leftW = Math.round((width - 3 * pad) * 0.6);
  const rightW = width - 3 * pad - leftW;
  const raceH = raceHeight(font, false);
  const race: Rect = { x: pad, y: top, w: leftW, h: raceH };
  const flows: Rect = { x: pad, y: top + raceH + pad, w: leftW, h: bodyH - raceH - pad };
  const rx = pad * 2 + leftW;
  const risk: Rect = { x: rx, y: top, w: rightW, h: Math.round(font * 5.2) };
  const trust: Rect = { x: rx, y: risk.y + risk.h + pad, w: rightW, h: Math.round(font * 5.4) };
  const dy = trust.y + trust.h + pad;
  const dialogue: Rect = { x: rx, y: dy, w: rightW, h: top + bodyH - dy };
  return {
    width,
    height: top + bodyH + pad,
    narrow: false,
    font,
    pad,
    header,
    race,
    flows,
    risk,
    trust,
    dialogue,
  };
}

/** The CSS height the board wants at a given width: about 8:5 when wide, as tall as needed when narrow. */
export function boardHeight(width: number): number {
  if (width < NARROW_BELOW) return layoutBoard(width, 0).height;
  return Math.max(minWideHeight(boardFont(width)), Math.min(900, Math.round(width * 0.63)));
}

export interface FlowRow {
  id: (typeof FLOW_IDS)[number];
  /** The whole row, for hit testing and highlighting. */
  rect: Rect;
  /** Tops of the name line and of the value line, in the text column on the left. */
  nameY: number;
  valueY: number;
  /** Width of the text column. */
  textW: number;
  /** Where the band runs (the arrowhead goes past x1), and its centre line. */
  x0: number;
  x1: number;
  bandY: number;
  /** Thickness of a band at full scale. */
  band: number;
}

/** The rows of the flows region: a title, then per source its name and numbers beside its band. */
export function flowRows(l: BoardLayout): FlowRow[] {
  const r = l.flows;
  const { font, pad } = l;
  const top = r.y + pad + titleHeight(font);
  const space = r.h - (top - r.y) - footHeight(font, l.narrow) - pad;
  const inner = r.w - 2 * pad;
  const x1 = r.x + r.w - pad - Math.round(font * 0.9);
  if (l.narrow) {
    const row = stackedRow(font);
    const band = stackedBand(font);
    return FLOW_IDS.map((id, i) => {
      const y = top + i * row;
      const nameY = y + Math.round(font * 0.2);
      return {
        id,
        rect: { x: r.x, y, w: r.w, h: row },
        nameY,
        valueY: nameY + Math.round(font * 1.3),
        textW: inner,
        x0: r.x + pad + 6,
        x1,
        bandY: nameY + Math.round(font * 2.7) + band / 2,
        band,
      };
    });
  }
  const row = Math.max(minRow(font), Math.floor(space / FLOW_IDS.length));
  const band = Math.max(8, Math.min(Math.round(font * 2.4), row - 6));
  const textW = Math.min(
    Math.max(Math.round(font * 16), Math.round(inner * 0.42)),
    inner - Math.round(font * 8),
  );
  const x0 = r.x + pad + textW + Math.round(font * 0.8);
  return FLOW_IDS.map((id, i) => {
    const y = top + i * row;
    const textTop = y + Math.max(0, (row - font * 2.6) / 2);
    return {
      id,
      rect: { x: r.x, y, w: r.w, h: row },
      nameY: textTop,
      valueY: textTop + Math.round(font * 1.3),
      textW,
      x0,
      x1,
      bandY: y + row / 2,
      band,
    };
  });
}

function inside(r: Rect, x: number, y: number): boolean {
  return x >= r.x && x <= r.x + r.w && y >= r.y && y <= r.y + r.h;
}

/** Which part of the board a point (CSS pixels) falls on. */
export function hitTest(l: BoardLayout, x: number, y: number): BoardTarget | null {
  if (inside(l.flows, x, y)) {
    const row = flowRows(l).find((f) => inside(f.rect, x, y));
    return row ? `flow.${row.id}` : 'flows';
  }
  const parts: [Rect, BoardTarget][] = [
    [l.header, 'header'],
    [l.race, 'race'],
    [l.risk, 'risk'],
    [l.trust, 'trust'],
    [l.dialogue, 'dialogue'],
  ];
  for (const [r, t] of parts) if (inside(r, x, y)) return t;
  return null;
}

/** The rectangle to outline for a target. */
export function targetRect(l: BoardLayout, t: BoardTarget): Rect {
  if (t.startsWith('flow.')) {
    const row = flowRows(l).find((f) => `flow.${f.id}` === t);
    if (row) return row.rect;
  }
  switch (t) {
    case 'header':
      return l.header;
    case 'race':
      return l.race;
    case 'risk':
      return l.risk;
    case 'trust':
      return l.trust;
    case 'dialogue':
      return l.dialogue;
    default:
      return l.flows;
  }
}
