/** TCP side: one MessageReader per socket, one synchronous command per message. */
import * as net from 'node:net';
import { runCommand, type CommandContext } from './commands';
import { CommandError } from './errors';
import { encodeReply, MessageReader, parseMessage, ProtocolError } from './wire';

export type ContextBase = Omit<CommandContext, 'dbName' | 'connectionId'> & {
  /** Make the writes of the commands run so far durable enough to acknowledge (the journal's group commit). */
  commit?(): void;
};

export class WireServer {
  private readonly sockets = new Set<net.Socket>();
  private nextConnectionId = 1;
  readonly server: net.Server;

  constructor(
    private readonly base: ContextBase,
    private readonly log: (msg: string) => void,
  ) {
    this.server = net.createServer((s) => this.accept(s));
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as net.AddressInfo).port);
      });
    });
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Drivers keep pooled/monitor connections open; a real mongod shutting down drops them too.
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  private accept(socket: net.Socket): void {
    const connectionId = this.nextConnectionId++;
    const reader = new MessageReader();
    this.sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', (err) => this.log(`connection ${connectionId}: ${err.message}`));
    socket.on('data', (chunk: Buffer) => {
      try {
        const replies: Buffer[] = [];
        for (const raw of reader.push(chunk)) {
          const out = this.handle(raw, connectionId);
          if (out) replies.push(out);
        }
        // Nothing is acknowledged before its journal records are handed to the OS.
        if (replies.length) this.base.commit?.();
        for (const out of replies) socket.write(out);
      } catch (err) {
        // Malformed framing leaves the stream unsynchronized; the only safe move is to drop it.
        this.log(`connection ${connectionId} dropped: ${err instanceof ProtocolError ? err.message : String(err)}`);
        socket.destroy();
      }
    });
  }

  /** One framed message in, the encoded reply out (undefined when the client wants none). */
  private handle(raw: Buffer, connectionId: number): Buffer | undefined {
    let msg;
    try {
      msg = parseMessage(raw);
    } catch (err) {
      if (err instanceof ProtocolError) throw err;
      if (err instanceof CommandError) return encodeReply(raw.readInt32LE(12), raw.readInt32LE(4), err.toReply());
      // The frame was intact but its BSON wasn't (e.g. a regex flag JS can't represent): answer, don't hang up.
      const opCode = raw.readInt32LE(12);
      return encodeReply(opCode, raw.readInt32LE(4), { ok: 0, code: 22, codeName: 'InvalidBSON', errmsg: String(err) });
    }
    const reply = runCommand({ ...this.base, dbName: msg.db, connectionId }, msg.command);
    if (reply.ok !== 1) this.log(`[${msg.db}] ${Object.keys(msg.command)[0]} failed: ${reply.errmsg}`);
    if (msg.moreToCome) return undefined;
    try {
      return encodeReply(msg.opCode, msg.requestId, reply);
    } catch (err) {
      return encodeReply(msg.opCode, msg.requestId, {
        ok: 0,
        code: 10334,
        codeName: 'BSONObjectTooLarge',
        errmsg: `reply could not be serialized: ${String(err)}`,
      });
    }
  }
}
