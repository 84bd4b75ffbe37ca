import { Decoder, Encoder, type Packet, PacketType } from 'socket.io-parser';
import { encodeData } from './encoded-json.ts';

/**
 * socket.io's encoder walks every outgoing payload looking for binary data (`hasBinary`) before
 * it turns it into text. This server never sends binary, and the walk over every view and log
 * cost a few percent of the event loop under load, so this encoder writes the same text packets
 * without it. Clients decode them with the standard decoder: the wire format is unchanged. It
 * also copies payloads already serialised (`EncodedJson`) into the packet as they are.
 */
export class JsonOnlyEncoder extends Encoder {
  override encode(obj: Packet): string[] {
    let str = `${obj.type}`;
    if (obj.type === PacketType.BINARY_EVENT || obj.type === PacketType.BINARY_ACK)
      throw new Error('this server sends no binary packets');
    if (obj.nsp && obj.nsp !== '/') str += `${obj.nsp},`;
    if (obj.id !== undefined && obj.id !== null) str += obj.id;
    if (obj.data !== undefined && obj.data !== null) str += encodeData(obj.data);
    return [str];
  }
}

export const jsonOnlyParser = { Encoder: JsonOnlyEncoder, Decoder };
