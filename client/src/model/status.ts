import type { Status } from '../net/session-status.ts';

/** The banner's words for the connection state; empty when all is well. */
export function statusBanner(status: Status, message: string | null, hasView: boolean): string {
  switch (status) {
    case 'online':
      return '';
    case 'connecting':
      return hasView ? 'Reconnecting…' : '';
    case 'offline':
      return 'Connection lost. Reconnecting… Your seat and your team’s draft are kept on the server.';
    case 'restarting':
      return `${message ?? 'The server is restarting.'} Reconnecting…`;
    case 'refused':
      return `The server did not recognise this seat: ${message ?? 'unknown seat'}`;
    case 'removed':
      return 'The facilitator removed this seat from the game.';
  }
}
