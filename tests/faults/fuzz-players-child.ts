import { Players, type PlayersJob } from './fuzz-players.ts';

/**
 * The well-behaved games run in a process of their own, so the latency they measure is the
 * server's and not the fuzzer's event loop. Messages: start → ready, stop → done.
 */
let players: Players | null = null;

process.on('message', (m: { type: 'start'; job: PlayersJob } | { type: 'stop' }) => {
  if (m.type === 'start') {
    players = new Players(m.job);
    players.open().then(
      () => {
        players?.run();
        process.send?.({ type: 'ready' });
      },
      (e: unknown) => {
        process.send?.({ type: 'error', message: String((e as Error).stack ?? e) });
      },
    );
  } else if (m.type === 'stop' && players) {
    players.stop().then((report) => {
      process.send?.({ type: 'done', report }, () => process.exit(0));
    });
  }
});
process.on('disconnect', () => process.exit(0));
