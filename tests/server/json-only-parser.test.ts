import { Encoder, type Packet, PacketType } from 'socket.io-parser';
import { describe, expect, it } from 'vitest';
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
});
