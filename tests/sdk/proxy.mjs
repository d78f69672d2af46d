// A round-robin TCP proxy on 127.0.0.1, in a process of its own (the tests block their event loop in
// spawnSync while the SDK runs): `node proxy.mjs LISTEN_PORT NODE_PORT...`. Each new connection goes
// to the next node; TLS passes through untouched, so the client talks to that node's own certificate.
import { createConnection, createServer } from 'node:net';

const [listenPort, ...nodePorts] = process.argv.slice(2).map(Number);
let next = 0;
createServer((client) => {
  const upstream = createConnection({ host: '127.0.0.1', port: nodePorts[next++ % nodePorts.length] });
  const close = () => { client.destroy(); upstream.destroy(); };
  client.on('error', close);
  upstream.on('error', close);
  client.pipe(upstream).pipe(client);
}).listen(listenPort, '127.0.0.1', () => console.log('listening'));
