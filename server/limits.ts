import type { Server as HttpServer, IncomingMessage, ServerOptions } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type ServerOptions as WsServerOptions } from 'ws';

/**
 * How long a connection may hold the server without being useful. Node's defaults (60 s for the
 * headers, 300 s for a request, checked every 30 s) let a client that trickles a request keep a
 * connection for minutes; a real browser sends its headers in one packet and our bodies are
 * small (16 KB of JSON, 64 KB socket frames), so seconds are plenty even on a slow phone.
 */
export const HTTP_LIMITS: ServerOptions = {
  headersTimeout: 10_000,
  requestTimeout: 20_000,
  connectionsCheckingInterval: 1_000,
};

/** A socket that opens but never joins the namespace is dropped after this (socket.io's default: 45 s). */
export const SOCKET_CONNECT_TIMEOUT_MS = 10_000;

/** How long a closing websocket waits for its peer's answer (ws's default: 30 s). */
const WS_CLOSE_WAIT_MS = 5_000;

/**
 * The websocket server socket.io uses, but one that gives up on a peer that does not answer its
 * close frame after a few seconds: a stalled peer would otherwise keep its connection (and hold
 * up a shutdown) for 30 s after the server dropped it.
 */
export class PromptCloseWebSocketServer extends WebSocketServer {
  constructor(options: WsServerOptions) {
    // closeTimeout is a ws option its type definitions do not list yet.
    const withWait = { ...options, closeTimeout: WS_CLOSE_WAIT_MS };
    super(withWait);
  }
}

/**
 * Answers a websocket handshake from a refused Origin with 403, as a refused polling handshake
 * is answered: engine.io would answer it 400 Bad Request, which reads as a client bug.
 */
export function refuseForeignUpgrades(http: HttpServer, allowed: (req: IncomingMessage) => boolean): void {
  http.prependListener('upgrade', (req: IncomingMessage, socket: Duplex) => {
    if (allowed(req)) return;
    socket.on('error', () => {});
    if (socket.writable)
      socket.write(
        'HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 18\r\n\r\norigin not allowed',
      );
    socket.destroy();
  });
}
