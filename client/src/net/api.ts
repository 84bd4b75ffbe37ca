import type { CreateGameRequest, CreateGameResponse } from '../../../shared/protocol/events.ts';

/** The HTTP part of the protocol (docs/PROTOCOL.md): create a game and read its public info. */
export interface GameInfo {
  code: string;
  scenarioId: string;
  rounds: number;
  phase: string;
  round: number;
  teams: { us: number; china: number };
  bots: { us: string | null; china: string | null };
  forkOf: { code: string; round: number } | null;
  joinLink: string;
}

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function answer<T>(res: Response): Promise<T> {
  const body = (await res.json().catch(() => null)) as
    | (T & { ok?: boolean; code?: string; message?: string })
    | null;
  if (!res.ok || !body)
    throw new ApiError(body?.code ?? 'internal', body?.message ?? `the server answered ${res.status}`);
  return body;
}

export async function createGame(req: CreateGameRequest): Promise<CreateGameResponse> {
  const res = await fetch('/api/games', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(req),
  });
  return answer<CreateGameResponse>(res);
}

/** A new game that replays `code` from the briefing of `round`; only its facilitator may ask. */
export async function forkGame(
  code: string,
  facilitatorToken: string,
  round: number,
): Promise<CreateGameResponse> {
  const res = await fetch(`/api/games/${encodeURIComponent(code)}/fork`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${facilitatorToken}` },
    body: JSON.stringify({ round }),
  });
  return answer<CreateGameResponse>(res);
}

export async function gameInfo(code: string): Promise<GameInfo> {
  return answer<GameInfo>(await fetch(`/api/games/${encodeURIComponent(code)}`));
}

/**
 * Fetches an export with the seat's token in the Authorization header and saves it under `file`.
 * A link with the token in its address would leave the token in the browser's history and in
 * any proxy's log. Resolves with the server's reason when it refuses, or null.
 */
export async function downloadExport(
  code: string,
  token: string,
  format: 'json' | 'md' | 'csv',
  file: string,
): Promise<string | null> {
  let res: Response;
  try {
    res = await fetch(`/api/games/${encodeURIComponent(code)}/export?format=${format}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
  } catch (e) {
    return `cannot reach the server: ${(e as Error).message}`;
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { message?: string } | null;
    return body?.message ?? `the server answered ${res.status}`;
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = file;
  document.body.append(a);
  a.click();
  a.remove();
  // The click has handed the file to the browser; the address can go after this turn.
  setTimeout(() => URL.revokeObjectURL(url), 0);
  return null;
}
