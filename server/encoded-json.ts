/**
 * A payload already turned into JSON text. The JSON-only encoder (json-only-parser.ts) writes it
 * into the packet as it is, so a part that many sockets receive is serialised once: the view of
 * a team of fourteen, or the logs every seat gets when a game ends. The bytes a client receives
 * are those of the same object serialised by `JSON.stringify`, up to the order of keys.
 */
export class EncodedJson {
  constructor(readonly json: string) {}
}

/** The text of a packet's data: JSON, with any already-encoded element copied in as it is. */
export function encodeData(data: unknown): string {
  if (!Array.isArray(data) || !data.some((x) => x instanceof EncodedJson)) return JSON.stringify(data);
  // JSON.stringify writes `null` for an undefined array element; so does this.
  return `[${data.map((x) => (x instanceof EncodedJson ? x.json : (JSON.stringify(x) ?? 'null'))).join(',')}]`;
}

/**
 * An object's JSON from its members' JSON, in the order given; members whose text is undefined
 * are left out, as `JSON.stringify` leaves out undefined values.
 */
export function objectJson(members: [key: string, json: string | undefined][]): string {
  const parts: string[] = [];
  for (const [key, json] of members) if (json !== undefined) parts.push(`${JSON.stringify(key)}:${json}`);
  return `{${parts.join(',')}}`;
}

/** `json` (an object's JSON) with one more member at the end. */
export function withMember(json: string, key: string, valueJson: string): string {
  return json === '{}'
    ? `{${JSON.stringify(key)}:${valueJson}}`
    : `${json.slice(0, -1)},${JSON.stringify(key)}:${valueJson}}`;
}
