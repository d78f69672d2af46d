// One multipart POST /storage/upload over HTTP/2 with Node's own client (nghttp2 underneath, like
// curl's): bench/upload.sh runs it beside curl --http2, to tell the server's HTTP/2 from curl's.
//   node bench/h2upload.mjs URL API_KEY CA_PEM FILE NAME   → prints "STATUS SECONDS"
import fs from 'node:fs';
import http2 from 'node:http2';

const [url, apiKey, caFile, file, name] = process.argv.slice(2);
const session = http2.connect(url, { ca: fs.readFileSync(caFile) });
const boundary = `hatbox-bench-${process.pid}`;
const head = Buffer.from(
  `--${boundary}\r\nContent-Disposition: form-data; name="path"\r\n\r\nbench\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}.bin"\r\n` +
    'Content-Type: application/octet-stream\r\n\r\n',
);
const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
const size = fs.statSync(file).size;
const start = process.hrtime.bigint();
const request = session.request({
  ':method': 'POST',
  ':path': '/storage/upload',
  authorization: `Bearer ${apiKey}`,
  'content-type': `multipart/form-data; boundary=${boundary}`,
  'content-length': head.length + size + tail.length,
});
request.write(head);
const source = fs.createReadStream(file, { highWaterMark: 1 << 20 });
source.on('end', () => request.end(tail));
source.pipe(request, { end: false });
const status = await new Promise((resolve, reject) => {
  let answer;
  request.on('response', (headers) => (answer = headers[':status']));
  request.on('data', () => {});
  request.on('end', () => resolve(answer));
  request.on('error', reject);
});
console.log(`${status} ${(Number(process.hrtime.bigint() - start) / 1e9).toFixed(4)}`);
session.close();
