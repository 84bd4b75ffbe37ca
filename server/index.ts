import { resolve } from 'node:path';
import { createServer } from './app.ts';
import { systemClock } from './clock.ts';
import { openSqliteStore, StorageUnavailable } from './store/sqlite.ts';

/** Reads the environment, opens the store and listens. Everything else is in createServer. */
function fail(message: string): never {
  console.error(`hotline: ${message}`);
  process.exit(1);
}

const portText = process.env.PORT ?? '3000';
if (!/^\d+$/.test(portText) || Number(portText) > 65535)
  fail(`PORT must be a port number (0–65535), got "${portText}"`);
const dataDir = resolve(process.env.DATA_DIR ?? './data');
const allowedOrigins = (process.env.ALLOWED_ORIGINS ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);

let store: ReturnType<typeof openSqliteStore>;
try {
  store = openSqliteStore(dataDir);
} catch (e) {
  fail(e instanceof StorageUnavailable ? e.message : `cannot open storage: ${(e as Error).message}`);
}

const server = createServer({ store, clock: systemClock, allowedOrigins });
server.http.listen(Number(portText), () => {
  const addr = server.http.address();
  const port = typeof addr === 'object' && addr ? addr.port : portText;
  console.log(
    `hotline: serving on http://localhost:${port} (data in ${dataDir}, ${server.registry.rooms.size} games loaded)`,
  );
});

let stopping = false;
function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`hotline: ${signal} received, closing`);
  server.hub.notifyAll('The server is restarting; you will be reconnected in a moment.');
  void server.close().finally(() => {
    store.close();
    process.exit(0);
  });
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
