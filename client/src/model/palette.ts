/**
 * Colours from the Okabe–Ito palette, which stays distinct for the common kinds of colour
 * blindness. Colour is never the only signal: every coloured thing also has a label or a shape.
 */
export const PALETTE = {
  us: 0x0072b2,
  china: 0xd55e00,
  risk: 0xe69f00,
  trust: 0x009e73,
  sky: 0x56b4e9,
  purple: 0xcc79a7,
  yellow: 0xf0e442,
  ink: 0x1b1f24,
  paper: 0xf7f5f0,
  grid: 0xc9c4b8,
  danger: 0xa6261c,
} as const;

export function cssColour(c: number): string {
  return `#${c.toString(16).padStart(6, '0')}`;
}
