import { type Agent, request } from 'node:http';
import { connect } from 'node:net';
import { ERROR_CODES } from '../../shared/protocol/errors.ts';
import { fillHttp, type HttpCase, type HttpRefs } from './fuzz-http-cases.ts';

/** Error statuses the protocol documents, each with the one code it carries. */
export const HTTP_STATUS_CODES: Record<number, string> = {
  400: 'bad-payload',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  413: 'bad-payload',
};

export interface HttpAnswer {
  status: number | null;
  contentType: string;
  body: Buffer;
}

/** Sends one case and reads the whole answer (or null status when the server gave none). */
export function sendHttp(port: number, c: HttpCase, refs: HttpRefs, agent: Agent): Promise<HttpAnswer> {
  if (c.raw !== undefined) return sendRaw(port, c.raw);
  return new Promise((resolve) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(c.headers)) headers[k] = fillHttp(v, refs);
    if (c.body) headers['content-length'] = String(c.body.length);
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: c.method,
        path: fillHttp(c.path, refs),
        headers,
        agent,
        timeout: 15_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? null,
            contentType: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', () =>
          resolve({ status: res.statusCode ?? null, contentType: '', body: Buffer.alloc(0) }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    // A server that refuses a body early may close the connection while it is still being sent.
    req.on('error', () => resolve({ status: null, contentType: '', body: Buffer.alloc(0) }));
    req.end(c.body);
  });
}

/** Writes bytes that are not a well-formed request to a fresh connection and parses what comes back. */
function sendRaw(port: number, raw: string): Promise<HttpAnswer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const sock = connect({ host: '127.0.0.1', port });
    const done = () => {
      clearTimeout(timer);
      sock.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      const head = text.split('\r\n\r\n')[0] ?? '';
      const type = /\r\ncontent-type: *([^\r]*)/i.exec(head)?.[1] ?? '';
      const bodyAt = text.indexOf('\r\n\r\n');
      resolve({
        status: m ? Number(m[1]) : null,
        contentType: type,
        body: bodyAt < 0 ? Buffer.alloc(0) : Buffer.from(text.slice(bodyAt + 4), 'latin1'),
      });
    };
    const timer = setTimeout(done, 3000);
    sock.on('data', (d: Buffer) => {
      chunks.push(d);
      // One answer is all a malformed request gets; stop once its body has arrived.
      const text = Buffer.concat(chunks).toString('latin1');
      const len = /\r\ncontent-length: *(\d+)/i.exec(text)?.[1];
      const at = text.indexOf('\r\n\r\n');
      if (at >= 0 && len !== undefined && text.length - at - 4 >= Number(len)) done();
    });
    sock.on('error', done);
    sock.on('close', done);
    sock.write(raw, 'latin1');
  });
}

/** Things a served file must never contain: signs of a path that escaped the client directory. */
const LEAK_MARKERS = ['root:x:0:0', '"better-sqlite3"', 'SQLite format 3', '[core]', 'hotline: serving'];

export interface HttpVerdict {
  /** Null when the answer is what the protocol documents; otherwise why not. */
  problem: string | null;
  undocumented: boolean;
  /** An answer from socket.io's own transport (its handshake and its errors), not from the app. */
  transport: boolean;
  created: boolean;
}

function jsonOf(a: HttpAnswer): Record<string, unknown> | null {
  try {
    const v = JSON.parse(a.body.toString('utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Judges one answer against docs/PROTOCOL.md. */
export function judgeHttp(c: HttpCase, a: HttpAnswer): HttpVerdict {
  const v: HttpVerdict = { problem: null, undocumented: false, transport: false, created: false };
  const s = a.status;
  if (s === null) return { ...v, problem: 'no answer' };
  if (s >= 500) return { ...v, problem: `status ${s}` };
  if (c.route === 'socket.io' && s !== 404) {
    // socket.io answers on its own path in its own format: a handshake, or {code: number, message}.
    const j = jsonOf(a);
    const ok = s === 200 || ((s === 400 || s === 403) && typeof j?.code === 'number');
    return { ...v, transport: true, undocumented: !ok, problem: ok ? null : `socket.io path answered ${s}` };
  }
  if (s >= 200 && s < 300) {
    // Counted before judging, so the number of games stored can be checked against it.
    if (s === 201 && c.route === 'create') v.created = true;
    if (c.expect === 'error') return { ...v, problem: `accepted with ${s}` };
    const text = a.body.toString('utf8');
    const leak = LEAK_MARKERS.find((m) => text.includes(m));
    if (leak) return { ...v, problem: `served something outside the client (${leak})` };
    if (s === 201) {
      const j = jsonOf(a);
      if (typeof j?.code !== 'string' || typeof j.facilitatorToken !== 'string')
        return { ...v, problem: '201 without a code and token' };
    }
    return v;
  }
  const code = HTTP_STATUS_CODES[s];
  if (!code) return { ...v, undocumented: true, problem: `undocumented status ${s}` };
  if (c.expect === 'ok') v.problem = `refused with ${s}`;
  if (c.method === 'HEAD') return v;
  const j = jsonOf(a);
  const documented =
    j !== null &&
    j.ok === false &&
    j.code === code &&
    (ERROR_CODES as readonly string[]).includes(String(j.code)) &&
    typeof j.message === 'string' &&
    j.message.length > 0 &&
    a.contentType.startsWith('application/json');
  if (!documented) {
    v.undocumented = true;
    v.problem ??= `status ${s} without a JSON {ok:false, code:"${code}", message} body`;
  }
  return v;
}
