import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createServer } from './app.ts';
import { systemClock } from './clock.ts';
import { parseAllowedOrigins } from './origins.ts';
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
let allowedOrigins: string[] = [];
try {
  allowedOrigins = parseAllowedOrigins(process.env.ALLOWED_ORIGINS);
} catch (e) {
  fail((e as Error).message);
}

const publicUrl = process.env.PUBLIC_URL?.trim() || null;
if (publicUrl && !/^https?:\/\/[^/\s]+/.test(publicUrl))
  fail(`PUBLIC_URL must start with http:// or https:// and a host, got "${publicUrl}"`);
// The built client sits beside the built server (dist/client); without it only the API runs.
const clientDir = resolve(process.env.CLIENT_DIR ?? 'dist/client');
if (!existsSync(join(clientDir, 'index.html')))
  console.error(`hotline: no built client in ${clientDir}; run "npm start" (it builds it) to serve the game`);

let store: ReturnType<typeof openSqliteStore>;
try {
  store = openSqliteStore(dataDir, (msg, extra) => console.error(JSON.stringify({ msg, ...extra })));
} catch (e) {
  fail(e instanceof StorageUnavailable ? e.message : `cannot open storage: ${(e as Error).message}`);
}

const server = createServer({
  store,
  clock: systemClock,
  allowedOrigins,
  clientDir,
  publicUrl,
  diagnostics: process.env.HOTLINE_DIAGNOSTICS === '1',
});
await server.ready;
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
  void server
    .close()
    .then(() => store.close())
    .finally(() => process.exit(0));
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
