// A local OpenID Connect provider for the external sign-in tests: oauth2-mock-server approves
// every login without a person. The test says who signs in (subject, e-mail, whether the
// provider vouches for it) through a small control endpoint on a second port.
// Usage: node server.mjs  →  prints {"issuer":"http://127.0.0.1:…","control":"http://127.0.0.1:…"}
import { createServer } from "node:http";
import { OAuth2Server } from "oauth2-mock-server";

// Who signs in: the last person the test named (tests that use one provider run one at a time).
let current = { sub: "nobody" };
const provider = new OAuth2Server();
await provider.issuer.keys.generate("RS256");
provider.service.on("beforeTokenSigning", (token) => {
  Object.assign(token.payload, current);
});
await provider.start(0, "127.0.0.1");

const control = createServer((req, res) => {
  let body = "";
  req.on("data", (chunk) => (body += chunk));
  req.on("end", () => {
    if (req.method === "POST" && req.url === "/next-login") {
      current = JSON.parse(body);
      res.writeHead(204).end();
    } else {
      res.writeHead(404).end();
    }
  });
});
control.listen(0, "127.0.0.1", () => {
  console.log(JSON.stringify({ issuer: provider.issuer.url, control: `http://127.0.0.1:${control.address().port}` }));
});

// Stop with the test that started us, even if it dies without a word.
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
