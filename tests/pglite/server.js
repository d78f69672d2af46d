// PostgreSQL with pgvector for the pgvector search tests: PGlite (PostgreSQL compiled to WASM,
// one backend) behind the wire protocol on 127.0.0.1.
//   node server.js PORT
// PGlite has ONE session, so every client connection shares it. pglite-socket queues single
// protocol messages, which lets two clients' extended-protocol messages interleave (one client's
// Bind landing on the other's Parse). Here a connection holds the backend from its first message
// until the server answers ReadyForQuery "idle": a whole Parse/Bind/Execute/Sync round, or a whole
// transaction, runs without another connection's messages in between. Session state (SET,
// advisory locks) is still shared: a stand-in for one Hatbox node's index store, not for tenants.
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  console.error("usage: node server.js PORT");
  process.exit(2);
}

class WholeRoundQueue {
  constructor(db) {
    this.db = db;
    this.items = [];
    this.holder = null;
    this.running = false;
  }

  enqueue(handlerId, message, onData) {
    return new Promise((resolve, reject) => {
      this.items.push({ handlerId, message, onData, resolve, reject });
      this.run();
    });
  }

  next() {
    const at = this.holder === null ? 0 : this.items.findIndex((item) => item.handlerId === this.holder);
    return at < 0 || this.items.length === 0 ? null : this.items.splice(at, 1)[0];
  }

  async run() {
    if (this.running) return;
    this.running = true;
    try {
      for (let item = this.next(); item; item = this.next()) {
        this.holder = item.handlerId;
        // The last six bytes answered: ReadyForQuery is 'Z', length 5, status (I idle, T/E in a transaction).
        let tail = Buffer.alloc(0);
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data) => {
                tail = Buffer.concat([tail, Buffer.from(data)]).subarray(-6);
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          item.reject(error);
          continue;
        }
        if (tail.length === 6 && tail[0] === 0x5a && tail.readInt32BE(1) === 5 && tail[5] === 0x49) this.holder = null;
        item.resolve(0);
      }
    } finally {
      this.running = false;
    }
  }

  getQueueLength() {
    return this.items.length;
  }

  clearQueueForHandler(handlerId) {
    this.items = this.items.filter((item) => {
      if (item.handlerId !== handlerId) return true;
      item.reject(new Error("Handler disconnected"));
      return false;
    });
  }

  // A client gone mid-round or mid-transaction gives the backend back, rolled back.
  async clearTransactionIfNeeded(handlerId) {
    if (this.holder !== handlerId) return;
    if (this.db.isInTransaction()) await this.db.exec("ROLLBACK");
    this.holder = null;
    this.run();
  }
}

const db = new PGlite("memory://", { extensions: { vector } });
await db.waitReady;
const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port, maxConnections: 64 });
server.queryQueue = new WholeRoundQueue(db);
await server.start();
console.log(`pglite with pgvector on 127.0.0.1:${port}`);

const stop = async () => {
  await server.stop();
  await db.close();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
