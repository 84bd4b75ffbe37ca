import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';

/**
 * Raw TCP clients for what a well-behaved library never sends: half-finished HTTP requests,
 * stalled websocket handshakes, a websocket frame announcing more than the server accepts, and
 * handshakes from a foreign Origin. Loopback only.
 */
const HOST = '127.0.0.1';
const SOCKET_PATH = '/socket.io/?EIO=4&transport=websocket';

export const SLOWLORIS_KINDS = [
  /** Connects and sends nothing. */
  'silent',
  /** Sends a request line and then one more header line every few seconds, never the blank line. */
  'slow-headers',
  /** Sends whole headers announcing a body, then the body one byte every few seconds. */
  'slow-body',
  /** Sends part of a websocket upgrade request and stops. */
  'stalled-upgrade',
  /** Finishes the websocket upgrade, receives engine.io's open packet, then never joins socket.io. */
  'no-socketio-connect',
  /** Finishes a long-polling handshake and then keeps the connection open without a request. */
  'idle-polling',
] as const;
export type SlowlorisKind = (typeof SLOWLORIS_KINDS)[number];

export interface HalfOpen {
  kind: SlowlorisKind;
  openedAt: number;
  closedAt: number | null;
  /** The server's first bytes, if any (a 408, a 101…). */
  firstReply: string;
  socket: Socket;
}

function upgradeRequest(port: number, origin?: string): string {
  return [
    `GET ${SOCKET_PATH} HTTP/1.1`,
    `Host: ${HOST}:${port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
    'Sec-WebSocket-Version: 13',
    ...(origin ? [`Origin: ${origin}`] : []),
    '',
    '',
  ].join('\r\n');
}

/** Opens one half-open connection of `kind`; it trickles every `trickleMs` until the server closes it. */
export function openHalfOpen(port: number, kind: SlowlorisKind, trickleMs: number): Promise<HalfOpen> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, HOST);
    const h: HalfOpen = { kind, openedAt: 0, closedAt: null, firstReply: '', socket };
    let timer: NodeJS.Timeout | null = null;
    let n = 0;
    const trickle = (line: () => string) => {
      timer = setInterval(() => {
        if (socket.writable) socket.write(line());
      }, trickleMs);
    };
    socket.on('data', (d) => {
      if (!h.firstReply) h.firstReply = String(d).slice(0, 40);
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      h.closedAt = Date.now();
      if (timer) clearInterval(timer);
    });
    socket.once('connect', () => {
      h.openedAt = Date.now();
      switch (kind) {
        case 'silent':
          break;
        case 'slow-headers':
          socket.write(`GET /healthz HTTP/1.1\r\nHost: ${HOST}:${port}\r\n`);
          trickle(() => `X-Pad-${n}: ${n++}\r\n`);
          break;
        case 'slow-body':
          socket.write(
            `POST /api/games HTTP/1.1\r\nHost: ${HOST}:${port}\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{`,
          );
          trickle(() => ' ');
          break;
        case 'stalled-upgrade':
          socket.write(upgradeRequest(port).split('\r\n').slice(0, 4).join('\r\n'));
          break;
        case 'no-socketio-connect':
          socket.write(upgradeRequest(port));
          break;
        case 'idle-polling':
          socket.write(`GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: ${HOST}:${port}\r\n\r\n`);
          break;
      }
      resolve(h);
    });
    socket.once('error', reject);
  });
}

/** An HTTP request's status (and whether it answered at all within `ms`). */
export function httpStatus(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string; ms?: number } = {},
): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      url,
      { method: opts.method ?? 'GET', headers: opts.headers, timeout: opts.ms ?? 5000 },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(0));
    req.end(opts.body);
  });
}

/**
 * The status a raw websocket upgrade gets (101 when accepted), with the socket left open and the
 * bytes that came after the response head (the first websocket frames).
 */
export function rawUpgrade(
  port: number,
  origin?: string,
): Promise<{ status: number; socket: Socket; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, HOST, () => socket.write(upgradeRequest(port, origin)));
    let head = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no answer to a websocket upgrade in 5 s'));
    }, 5000);
    const onData = (d: Buffer) => {
      head = Buffer.concat([head, d]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      clearTimeout(timer);
      socket.off('data', onData);
      const status = Number(head.subarray(0, end).toString('latin1').split(' ')[1]);
      resolve({ status, socket, rest: head.subarray(end + 4) });
    };
    socket.on('data', onData);
    socket.on('error', () => {});
    socket.once('close', () => {
      clearTimeout(timer);
      resolve({ status: 0, socket, rest: Buffer.alloc(0) });
    });
  });
}

/** A masked client frame header (FIN, text) announcing `length` bytes, and its mask key. */
function frameHeader(length: number): { header: Buffer; mask: Buffer } {
  const mask = randomBytes(4);
  let header: Buffer;
  if (length < 126) header = Buffer.from([0x81, 0x80 | length]);
  else if (length < 65536) {
    header = Buffer.alloc(4);
    header[0] = 0x81;
    header[1] = 0x80 | 126;
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x81;
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return { header: Buffer.concat([header, mask]), mask };
}

export interface OversizeResult {
  announced: number;
  /** Payload bytes written before the server closed the websocket (or refused it with a close frame). */
  sentBeforeClose: number;
  /** The close code the server sent (1009: message too big), or null if it just dropped the connection. */
  closeCode: number | null;
  /** Whether the server closed before the whole payload was sent. */
  closedEarly: boolean;
  /** Milliseconds from the frame header to the TCP connection being gone. */
  msToTcpClose: number | null;
}

/**
 * Upgrades to a websocket, sends a frame header announcing `announced` bytes and trickles the
 * payload in `chunk`-byte pieces every `everyMs`, stopping as soon as the server closes: a
 * server that buffers frames whole would let the whole payload through first.
 */
export async function oversizeFrame(
  port: number,
  announced: number,
  chunk = 2048,
  everyMs = 20,
  waitForTcpClose = true,
): Promise<OversizeResult> {
  const { status, socket, rest } = await rawUpgrade(port);
  if (status !== 101) {
    socket.destroy();
    throw new Error(`the websocket upgrade was answered ${status}`);
  }
  let closeCode: number | null = null;
  let tcpClosedAt: number | null = null;
  let buf = rest;
  const frames = (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    // Server frames are unmasked; short ones (the open packet, a close frame) have a 1-byte length.
    while (buf.length >= 2) {
      const len = (buf[1] ?? 0) & 0x7f;
      if (len >= 126 || buf.length < 2 + len) break;
      if (((buf[0] ?? 0) & 0x0f) === 0x8) closeCode = len >= 2 ? buf.readUInt16BE(2) : 1005;
      buf = buf.subarray(2 + len);
    }
  };
  frames(Buffer.alloc(0));
  socket.on('data', frames);
  socket.once('close', () => {
    tcpClosedAt = Date.now();
  });
  const { header, mask } = frameHeader(announced);
  const t0 = Date.now();
  socket.write(header);
  let sent = 0;
  while (sent < announced && closeCode === null && tcpClosedAt === null) {
    await new Promise((r) => setTimeout(r, everyMs));
    if (closeCode !== null || tcpClosedAt !== null || !socket.writable) break;
    const n = Math.min(chunk, announced - sent);
    const piece = Buffer.alloc(n, 0x61);
    for (let i = 0; i < n; i++) piece[i] = (piece[i] ?? 0) ^ (mask[(sent + i) % 4] ?? 0);
    socket.write(piece);
    sent += n;
  }
  // The server should also let go of the connection itself, not only say so.
  const end = Date.now() + (waitForTcpClose ? 15_000 : 0);
  while (tcpClosedAt === null && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  socket.destroy();
  return {
    announced,
    sentBeforeClose: sent,
    closeCode,
    closedEarly: sent < announced,
    msToTcpClose: tcpClosedAt === null ? null : (tcpClosedAt as number) - t0,
  };
}

/**
 * A long-polling body announcing `announced` bytes to an open engine.io session, trickled: the
 * status the server answers and how much had been sent by then. engine.io counts the bytes as
 * they come and refuses the body (413) once they pass the limit, without keeping the rest.
 */
export async function oversizePollingBody(
  url: string,
  announced: number,
  chunk = 4096,
  everyMs = 10,
): Promise<{ status: number; sentBeforeAnswer: number }> {
  const open = await fetch(`${url}/socket.io/?EIO=4&transport=polling`);
  const text = await open.text();
  const sid = /"sid":"([^"]+)"/.exec(text)?.[1];
  if (!sid) throw new Error(`no engine.io session in ${text.slice(0, 80)}`);
  const req = request(`${url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8', 'content-length': String(announced) },
  });
  let status = 0;
  let gone = false;
  req.on('response', (res) => {
    status = res.statusCode ?? 0;
    res.resume();
  });
  req.on('error', () => {
    gone = true;
  });
  let sent = 0;
  while (sent < announced && status === 0 && !gone) {
    const n = Math.min(chunk, announced - sent);
    req.write('4'.repeat(n));
    sent += n;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  const end = Date.now() + 5000;
  while (status === 0 && !gone && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  req.destroy();
  return { status, sentBeforeAnswer: sent };
}

export interface OriginResult {
  pollingForeign: number;
  pollingOwn: number;
  websocketForeign: number;
  websocketOwn: number;
}

/** Handshakes from a foreign Origin and from the server's own, over both transports. */
export async function originChecks(url: string, port: number, foreign: string): Promise<OriginResult> {
  const polling = (origin: string) =>
    httpStatus(`${url}/socket.io/?EIO=4&transport=polling`, { headers: { origin } });
  const ws = async (origin: string) => {
    const { status, socket } = await rawUpgrade(port, origin);
    socket.destroy();
    return status;
  };
  return {
    pollingForeign: await polling(foreign),
    pollingOwn: await polling(url),
    websocketForeign: await ws(foreign),
    websocketOwn: await ws(url),
  };
}
