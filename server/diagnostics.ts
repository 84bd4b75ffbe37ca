import type { Server as HttpServer } from 'node:http';
import type { Server } from 'socket.io';
import type { Registry } from './registry.ts';
import type { SocketHub } from './sockets.ts';

/**
 * What a long test run needs to see growth from outside the process: heap (after a full garbage
 * collection when node runs with --expose-gc), timers and other handles, event listeners on the
 * long-lived emitters, and what the registry and the socket hub hold. Counts only: no game
 * codes, names or tokens. Served only when HOTLINE_DIAGNOSTICS=1 (see docs/PROTOCOL.md).
 */
export interface Diagnostics {
  heapUsedMb: number;
  /** Heap after two full collections; null when node was started without --expose-gc. */
  heapAfterGcMb: number | null;
  rssMb: number;
  /** process.getActiveResourcesInfo() by kind: Timeout, TCPSocketWrap, FSReqCallback… */
  resources: Record<string, number>;
  timers: number;
  /** Listeners on the process, the HTTP server, the engine and the default namespace. */
  listeners: number;
  /** Rooms in memory, by phase (finished ones stay only while someone has them open). */
  rooms: { loaded: number; lobby: number; running: number; ended: number; withDeadline: number };
  sockets: number;
  hub: ReturnType<SocketHub['stats']>;
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 100) / 100;

function listenerTotal(
  emitters: { eventNames(): (string | symbol)[]; listenerCount(e: string | symbol): number }[],
) {
  let n = 0;
  for (const e of emitters) for (const name of e.eventNames()) n += e.listenerCount(name);
  return n;
}

export function diagnostics(parts: {
  http: HttpServer;
  io: Server;
  registry: Registry;
  hub: SocketHub;
}): Diagnostics {
  const gc = (globalThis as { gc?: () => void }).gc;
  let heapAfterGcMb: number | null = null;
  if (gc) {
    gc();
    gc();
    heapAfterGcMb = mb(process.memoryUsage().heapUsed);
  }
  const mem = process.memoryUsage();
  const resources: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) resources[kind] = (resources[kind] ?? 0) + 1;
  const rooms = {
    loaded: 0,
    lobby: 0,
    running: 0,
    ended: 0,
    withDeadline: 0,
  };
  for (const room of parts.registry.rooms.values()) {
    const s = room.state;
    rooms.loaded++;
    if (s.phase === 'lobby') rooms.lobby++;
    else if (s.phase === 'ended') rooms.ended++;
    else rooms.running++;
    if (s.deadline !== null) rooms.withDeadline++;
  }
  return {
    heapUsedMb: mb(mem.heapUsed),
    heapAfterGcMb,
    rssMb: mb(mem.rss),
    resources,
    timers: (resources.Timeout ?? 0) + (resources.Immediate ?? 0),
    listeners: listenerTotal([process, parts.http, parts.io.engine, parts.io.of('/')]),
    rooms,
    sockets: parts.io.engine.clientsCount,
    hub: parts.hub.stats(),
  };
}
