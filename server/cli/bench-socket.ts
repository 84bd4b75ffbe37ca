import WebSocket from 'ws';

/**
 * The bench's own socket.io client: the same bytes on the wire as `socket.io-client` over a
 * websocket (engine.io 4, socket.io 5, text frames, the default namespace), without its layers of
 * emitters, managers and reconnection. The load processes share the machine's two cores with the
 * server they measure; socket.io-client spent about twice the CPU per message that this does,
 * and every cycle a load process spends is one the server cannot. Tests, bots and the browser
 * keep using socket.io-client.
 */
export interface Ack<T> {
  ok: boolean;
  data: T;
  code?: string;
  message?: string;
}

type Handler = (payload: never) => void;

export class BenchSocket {
  private readonly ws: WebSocket;
  private readonly handlers = new Map<string, Handler>();
  private readonly acks = new Map<number, (answer: unknown) => void>();
  private nextAck = 0;
  private closed = false;

  private constructor(
    url: string,
    private readonly onOpen: (err: Error | null) => void,
  ) {
    const u = new URL(url);
    u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
    u.pathname = '/socket.io/';
    u.search = '?EIO=4&transport=websocket';
    this.ws = new WebSocket(u, { perMessageDeflate: false });
    this.ws.on('message', (data, isBinary) => {
      if (!isBinary) this.frame(data.toString());
    });
    this.ws.on('error', (e) => this.fail(e));
    this.ws.on('close', () => this.fail(new Error('the connection closed')));
  }

  /** Resolves once socket.io has accepted the connection to the default namespace. */
  static connect(url: string): Promise<BenchSocket> {
    return new Promise((resolve, reject) => {
      const s: BenchSocket = new BenchSocket(url, (err) => (err ? reject(err) : resolve(s)));
    });
  }

  on<T>(event: string, handler: (payload: T) => void): void {
    this.handlers.set(event, handler as Handler);
  }

  /** Sends a command and resolves with its acknowledgement (rejects after `timeoutMs`). */
  request<T>(event: string, payload: unknown, timeoutMs = 30_000): Promise<Ack<T>> {
    if (this.closed) return Promise.reject(new Error(`${event}: the connection is closed`));
    const id = this.nextAck++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.acks.delete(id);
        reject(new Error(`${event}: no acknowledgement within ${timeoutMs} ms`));
      }, timeoutMs);
      this.acks.set(id, (answer) => {
        clearTimeout(timer);
        resolve(answer as Ack<T>);
      });
      this.ws.send(`42${id}${JSON.stringify([event, payload])}`);
    });
  }

  disconnect(): void {
    if (this.closed) return;
    this.closed = true;
    this.ws.close();
  }

  /** One engine.io packet: open, ping, or a socket.io packet inside a message. */
  private frame(text: string): void {
    const engineType = text.charCodeAt(0);
    if (engineType === 0x32 /* '2' ping */) {
      this.ws.send('3');
      return;
    }
    if (engineType === 0x30 /* '0' open */) {
      this.ws.send('40');
      return;
    }
    if (engineType !== 0x34 /* '4' message */) return;
    const ioType = text.charCodeAt(1);
    if (ioType === 0x32 /* '2' event */) {
      const [event, payload] = JSON.parse(text.slice(2)) as [string, never];
      this.handlers.get(event)?.(payload);
    } else if (ioType === 0x33 /* '3' ack */) {
      let i = 2;
      while (i < text.length && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
      const id = Number(text.slice(2, i));
      const answer = this.acks.get(id);
      this.acks.delete(id);
      answer?.((JSON.parse(text.slice(i)) as unknown[])[0]);
    } else if (ioType === 0x30 /* '0' connect */) {
      this.onOpen(null);
    } else if (ioType === 0x34 /* '4' connect error */) {
      this.fail(new Error(`socket.io refused the connection: ${text.slice(2)}`));
    } else if (ioType === 0x31 /* '1' disconnect */) {
      this.fail(new Error('the server disconnected this socket'));
    }
  }

  private fail(e: Error): void {
    this.onOpen(e);
    this.closed = true;
    for (const answer of this.acks.values()) answer({ ok: false, code: 'closed', message: e.message });
    this.acks.clear();
  }
}
