/**
 * MongoDB wire protocol framing: the legacy OP_QUERY/OP_REPLY pair (only used
 * by drivers for the very first handshake) and OP_MSG for everything else.
 * https://github.com/mongodb/specifications/blob/master/source/message/OP_MSG.md
 */
import { deserialize, serialize, type Document } from 'bson';
import { CommandError, Codes, MAX_INTERNAL_DOC_BYTES } from './errors';
import { formatKeyValue } from './values';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

const FLAG_CHECKSUM_PRESENT = 1 << 0;
export const FLAG_MORE_TO_COME = 1 << 1;

export const MAX_MESSAGE_SIZE = 48_000_000;

/** Deserialize exactly as the brief's storage model wants: JS numbers/strings, BSON classes kept. */
const DESERIALIZE = { promoteValues: true, promoteLongs: true, promoteBuffers: false, bsonRegExp: false } as const;

export interface IncomingCommand {
  requestId: number;
  opCode: typeof OP_QUERY | typeof OP_MSG;
  /** Command document with kind-1 sequences merged in as arrays. */
  command: Document;
  /** Database from `$db` (OP_MSG) or the `<db>.$cmd` namespace (OP_QUERY). */
  db: string;
  /** Client asked for no reply (unacknowledged write). */
  moreToCome: boolean;
}

export class ProtocolError extends Error {}

/** Splits a TCP byte stream into complete messages. */
export class MessageReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const out: Buffer[] = [];
    for (;;) {
      if (this.buffered < 4) break;
      // Only peek at the length; concatenating on every chunk would be quadratic for big messages.
      const head = this.chunks[0].length >= 4 ? this.chunks[0] : this.flatten();
      const len = head.readInt32LE(0);
      if (len < 16 || len > MAX_MESSAGE_SIZE) throw new ProtocolError(`invalid message length ${len}`);
      if (this.buffered < len) break;
      const all = this.flatten();
      out.push(all.subarray(0, len));
      const rest = all.subarray(len);
      this.chunks = rest.length ? [rest] : [];
      this.buffered = rest.length;
    }
    return out;
  }

  private flatten(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0];
  }
}

function readCString(buf: Buffer, offset: number): [string, number] {
  const end = buf.indexOf(0, offset);
  if (end < 0) throw new ProtocolError('unterminated cstring');
  return [buf.toString('utf8', offset, end), end + 1];
}

export function parseMessage(msg: Buffer): IncomingCommand {
  const requestId = msg.readInt32LE(4);
  const opCode = msg.readInt32LE(12);
  if (opCode === OP_QUERY) return parseQuery(msg, requestId);
  if (opCode === OP_MSG) return parseMsg(msg, requestId);
  if (opCode === OP_COMPRESSED) throw new ProtocolError('OP_COMPRESSED received although no compressor was negotiated');
  throw new ProtocolError(`unsupported opCode ${opCode} (legacy opcodes were removed in MongoDB 6.0)`);
}

function parseQuery(msg: Buffer, requestId: number): IncomingCommand {
  let off = 20; // header(16) + flags(4)
  const [ns, next] = readCString(msg, off);
  off = next + 8; // numberToSkip + numberToReturn
  const size = msg.readInt32LE(off);
  let command = deserialize(msg.subarray(off, off + size), DESERIALIZE);
  // Old-style wrapped queries: {$query: {...}, $readPreference: ...}
  if (command.$query && typeof command.$query === 'object') command = command.$query;
  const dot = ns.indexOf('.');
  if (dot < 0 || ns.slice(dot + 1) !== '$cmd')
    throw new ProtocolError(`OP_QUERY is only supported for commands, got namespace ${ns}`);
  return { requestId, opCode: OP_QUERY, command, db: ns.slice(0, dot), moreToCome: false };
}

/**
 * Like mongod, refuse any BSON object in a message over 16 MiB + 16 KiB before looking at the command (code
 * 10334); documents between 16 MiB and that are refused by the write itself ("object to insert too large").
 */
function decodeSection(msg: Buffer, off: number, size: number): Document {
  const doc = deserialize(msg.subarray(off, off + size), DESERIALIZE);
  if (size > MAX_INTERNAL_DOC_BYTES) {
    const [first] = Object.keys(doc);
    const shown = first === undefined ? '' : `${first}: ${formatKeyValue(doc[first])}`.slice(0, 200);
    throw new CommandError(
      Codes.BSONObjectTooLarge,
      `BSONObj size: ${size} (0x${size.toString(16).toUpperCase()}) is invalid. Size must be between 0 and ${MAX_INTERNAL_DOC_BYTES}(16MB) First element: ${shown}`,
    );
  }
  return doc;
}

function parseMsg(msg: Buffer, requestId: number): IncomingCommand {
  const flags = msg.readUInt32LE(16);
  const end = flags & FLAG_CHECKSUM_PRESENT ? msg.length - 4 : msg.length;
  let off = 20;
  let command: Document | undefined;
  const sequences: Array<[string, Document[]]> = [];
  while (off < end) {
    const kind = msg[off++];
    if (kind === 0) {
      const size = msg.readInt32LE(off);
      command = decodeSection(msg, off, size);
      off += size;
    } else if (kind === 1) {
      const size = msg.readInt32LE(off);
      const sectionEnd = off + size;
      const [id, docsStart] = readCString(msg, off + 4);
      const docs: Document[] = [];
      let p = docsStart;
      while (p < sectionEnd) {
        const dsize = msg.readInt32LE(p);
        docs.push(decodeSection(msg, p, dsize));
        p += dsize;
      }
      sequences.push([id, docs]);
      off = sectionEnd;
    } else {
      throw new ProtocolError(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!command) throw new ProtocolError('OP_MSG without a body section');
  for (const [id, docs] of sequences) command[id] = [...(command[id] ?? []), ...docs];
  const db = typeof command.$db === 'string' ? command.$db : 'admin';
  return { requestId, opCode: OP_MSG, command, db, moreToCome: (flags & FLAG_MORE_TO_COME) !== 0 };
}

let nextRequestId = 1;

function header(totalLength: number, responseTo: number, opCode: number): Buffer {
  const h = Buffer.alloc(16);
  h.writeInt32LE(totalLength, 0);
  h.writeInt32LE(nextRequestId++ & 0x7fffffff, 4);
  h.writeInt32LE(responseTo, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

const SERIALIZE = { ignoreUndefined: true, checkKeys: false } as const;

export function encodeReply(opCode: number, responseTo: number, doc: Document): Buffer {
  const body = Buffer.from(serialize(doc, SERIALIZE));
  if (opCode === OP_QUERY) {
    // OP_REPLY: responseFlags(4) cursorID(8) startingFrom(4) numberReturned(4)
    const fixed = Buffer.alloc(20);
    fixed.writeInt32LE(1, 16);
    return Buffer.concat([header(16 + 20 + body.length, responseTo, OP_REPLY), fixed, body]);
  }
  const flagsAndKind = Buffer.alloc(5); // flagBits = 0, section kind 0
  return Buffer.concat([header(16 + 5 + body.length, responseTo, OP_MSG), flagsAndKind, body]);
}
