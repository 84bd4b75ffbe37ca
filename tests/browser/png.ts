import { inflateSync } from 'node:zlib';

/**
 * Just enough of PNG to read a Chromium screenshot (8-bit RGB or RGBA, not interlaced), so a test
 * can tell a drawn board from a blank canvas by its pixels rather than trusting the page.
 */
export interface Pixels {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array;
}

export function decodePng(png: Buffer): Pixels {
  let at = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (at < png.length) {
    const len = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const body = png.subarray(at + 8, at + 8 + len);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const depth = body[8];
      const colour = body[9];
      if (depth !== 8 || (colour !== 2 && colour !== 6) || body[12] !== 0)
        throw new Error(`unsupported PNG: depth ${depth}, colour type ${colour}`);
      channels = colour === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    at += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const data = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = y * stride;
    for (let x = 0; x < stride; x++) {
      const left = x >= channels ? (data[row + x - channels] ?? 0) : 0;
      const up = y > 0 ? (data[row - stride + x] ?? 0) : 0;
      const upLeft = y > 0 && x >= channels ? (data[row - stride + x - channels] ?? 0) : 0;
      const v = src[x] ?? 0;
      let out: number;
      if (filter === 0) out = v;
      else if (filter === 1) out = v + left;
      else if (filter === 2) out = v + up;
      else if (filter === 3) out = v + ((left + up) >> 1);
      else {
        const p = left + up - upLeft;
        const pa = Math.abs(p - left);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - upLeft);
        out = v + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
      }
      data[row + x] = out & 0xff;
    }
  }
  return { width, height, channels, data };
}

/** Distinct colours (to 4 bits a channel) and the share of pixels unlike the most common one. */
export function colourStats(p: Pixels): { colours: number; notBackground: number } {
  const counts = new Map<number, number>();
  for (let i = 0; i + 2 < p.data.length; i += p.channels) {
    const key =
      ((p.data[i] ?? 0) >> 4) | (((p.data[i + 1] ?? 0) >> 4) << 4) | (((p.data[i + 2] ?? 0) >> 4) << 8);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const total = p.width * p.height;
  const top = Math.max(...counts.values());
  return { colours: counts.size, notBackground: (total - top) / total };
}
