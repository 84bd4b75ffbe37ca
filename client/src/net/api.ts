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

export async function gameInfo(code: string): Promise<GameInfo> {
  return answer<GameInfo>(await fetch(`/api/games/${encodeURIComponent(code)}`));
}

export function exportUrl(code: string, token: string, format: 'json' | 'md' | 'csv'): string {
  return `/api/games/${encodeURIComponent(code)}/export?format=${format}&token=${encodeURIComponent(token)}`;
}
