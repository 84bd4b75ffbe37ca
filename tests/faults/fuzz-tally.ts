/**
 * What the fuzzer counts while it runs. Problems of one kind are counted under one key, so a
 * defect hit ten thousand times reads as one line with its count and first example.
 */
export class ProblemLog {
  private readonly byKey = new Map<string, { count: number; example: string }>();

  add(key: string, example: string): void {
    const p = this.byKey.get(key);
    if (p) p.count++;
    else this.byKey.set(key, { count: 1, example: example.slice(0, 400) });
  }

  get size(): number {
    return this.byKey.size;
  }

  list(): string[] {
    return [...this.byKey].map(([k, p]) => `${k}${p.count > 1 ? ` (×${p.count})` : ''}: ${p.example}`);
  }
}

export type DisconnectReason = 'oversize' | 'flood' | 'raw' | 'unexpected';

export class FuzzTally {
  socketPayloads = 0;
  httpRequests = 0;
  acksByCode: Record<string, number> = {};
  undocumentedAnswers = 0;
  /** Acknowledged commands whose answer never came although the socket stayed connected. */
  unanswered = 0;
  disconnects: Record<DisconnectReason, number> = { oversize: 0, flood: 0, raw: 0, unexpected: 0 };
  reconnects = 0;
  rawClosed = 0;
  rawAnswered = 0;
  /** Commands the server accepted from a seat the protocol does not allow to send them. */
  forbiddenAccepted = 0;
  /** Answers that were `internal`: the server failed on the input instead of refusing it. */
  internalErrors = 0;
  /** Known events that were answered at least once, and the other kinds of case sent. */
  readonly eventsAnswered = new Set<string>();
  readonly labels: Record<string, number> = {};
  readonly httpRoutes: Record<string, number> = {};
  readonly httpStatuses: Record<string, number> = {};
  httpCreated = 0;
  httpTransportAnswers = 0;
  readonly problems = new ProblemLog();

  count(label: string, n = 1): void {
    this.labels[label] = (this.labels[label] ?? 0) + n;
  }

  ack(code: string): void {
    this.acksByCode[code] = (this.acksByCode[code] ?? 0) + 1;
  }
}
