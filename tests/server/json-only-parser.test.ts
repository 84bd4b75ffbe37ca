import { Decoder, Encoder, type Packet, PacketType } from 'socket.io-parser';
import { describe, expect, it } from 'vitest';
import { EncodedJson, objectJson, withMember } from '../../server/encoded-json.ts';
import { JsonOnlyEncoder } from '../../server/json-only-parser.ts';

const packets: Packet[] = [
  { type: PacketType.CONNECT, nsp: '/', data: { sid: 'abc' } },
  { type: PacketType.EVENT, nsp: '/', data: ['game:update', { view: { seq: 3, names: ['<b>x</b>', 'ü'] } }] },
  { type: PacketType.EVENT, nsp: '/', id: 12, data: ['server:restarting', 'bye'] },
  { type: PacketType.ACK, nsp: '/', id: 7, data: [{ ok: false, code: 'stale', message: 'resync' }] },
  { type: PacketType.EVENT, nsp: '/admin', data: ['x', null, 0, ''] },
  { type: PacketType.DISCONNECT, nsp: '/' },
  { type: PacketType.CONNECT_ERROR, nsp: '/', data: { message: 'origin not allowed' } },
];

describe('the JSON-only socket.io encoder', () => {
  it('writes exactly what socket.io’s own encoder writes for every packet this server sends', () => {
    const ours = new JsonOnlyEncoder();
    const theirs = new Encoder();
    for (const p of packets) expect(ours.encode(p)).toEqual(theirs.encode(p));
  });

  it('refuses to write a binary packet rather than send it wrongly', () => {
    expect(() => new JsonOnlyEncoder().encode({ type: PacketType.BINARY_EVENT, nsp: '/', data: [] })).toThrow(
      'binary',
    );
  });

  it('copies an already-serialised payload in, and the client decodes the same object', () => {
    const update = {
      log: { from: 2, public: [] },
      chat: [{ text: 'a "quote" and ü' }],
      view: { seq: 9, you: { name: 'Ada' } },
    };
    const viewWithoutYou = JSON.stringify({ seq: 9 });
    const json = objectJson([
      ['log', JSON.stringify(update.log)],
      ['nothing', undefined],
      ['chat', JSON.stringify(update.chat)],
      ['view', withMember(viewWithoutYou, 'you', JSON.stringify({ name: 'Ada' }))],
    ]);
    const [text] = new JsonOnlyEncoder().encode({
      type: PacketType.EVENT,
      nsp: '/',
      id: 4,
      data: ['game:update', new EncodedJson(json), undefined],
    });
    const decoded = new Promise<Packet>((resolve) => {
      const d = new Decoder();
      d.on('decoded', resolve);
      d.add(text as string);
    });
    return expect(decoded).resolves.toEqual({
      type: PacketType.EVENT,
      nsp: '/',
      id: 4,
      data: ['game:update', update, null],
    });
  });

  it('adds a member to an empty object and to a full one', () => {
    expect(JSON.parse(withMember('{}', 'you', '1'))).toEqual({ you: 1 });
    expect(JSON.parse(withMember('{"a":[]}', 'you', '"x"'))).toEqual({ a: [], you: 'x' });
  });
});
