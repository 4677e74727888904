// A fake participant API node for the validator tests and the verification bench: POST
// /v1/poc/proofs answered from a real ArtifactStore, honestly or with one chosen misbehaviour.
// Plain node:http (not the API node's server) so each misbehaviour is one line here.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ArtifactStore } from '../../kernels/poc/artifacts/store.js';
import { toHex } from '../../kernels/poc/bytes.js';

export type ServerMode =
  | 'honest'
  | 'flip-in-transit' // one output byte flipped after the proof was made: the path no longer reaches the root
  | 'wrong-nonce' // nonce = index + 1
  | 'bad-path' // one sibling hash altered
  | 'other-root' // answers with the root of another size
  | 'status-500'
  | 'status-400' // refuses the request: retrying cannot help
  | 'hang' // never answers
  | 'oversized-declared' // a correct answer padded to 4 MB, with its Content-Length
  | 'oversized-chunked' // a correct answer padded to 8 MB, chunked
  | 'not-json'
  | 'missing-proof'; // one proof fewer than asked

export interface ProofsRequest {
  epoch: string;
  class: string;
  indices: number[];
  count: string;
  /** Confirmation round (issue 13); absent for the Sprint. */
  round?: number;
}

export interface ParticipantServer {
  readonly url: string;
  readonly requests: ProofsRequest[];
  /** Most requests this server had in flight at once. */
  readonly maxInFlight: () => number;
  close(): Promise<void>;
}

export async function startParticipantServer(
  store: ArtifactStore,
  className: string,
  mode: ServerMode,
): Promise<ParticipantServer> {
  const requests: ProofsRequest[] = [];
  const hanging = new Set<ServerResponse>();
  let inFlight = 0;
  let maxInFlight = 0;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ProofsRequest;
    requests.push(body);
    const send = (status: number, json: unknown) => {
      const text = JSON.stringify(json);
      res.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
      });
      res.end(text);
    };
    switch (mode) {
      case 'status-500':
        return send(500, { error: { code: 500, message: 'boom' } });
      case 'status-400':
        return send(400, { error: { code: 400, message: 'unknown epoch' } });
      case 'hang':
        hanging.add(res);
        return;
      case 'not-json':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"epoch": "1", "proofs": [');
        return;
    }
    const count = Number(body.count);
    const proofs = body.indices.map((index) => {
      const p = store.proof(index, count);
      const output = p.output.slice();
      const path = p.path.map((h) => h.slice());
      let nonce = p.nonce;
      if (mode === 'flip-in-transit') output[7] = (output[7] as number) ^ 0x01;
      if (mode === 'wrong-nonce') nonce += 1n;
      const first = path[0];
      if (mode === 'bad-path' && first) first[0] = (first[0] as number) ^ 0xff;
      return {
        index: p.index,
        nonce: nonce.toString(),
        output: Buffer.from(output).toString('base64'),
        path: path.map(toHex),
      };
    });
    if (mode === 'missing-proof') proofs.pop();
    const root = mode === 'other-root' ? store.rootAt(count - 1) : store.rootAt(count);
    const answer = {
      epoch: body.epoch,
      ...(body.round === undefined ? {} : { round: body.round }),
      class: className,
      count: body.count,
      root: toHex(root),
      proofs,
    };
    if (mode === 'oversized-declared') {
      // A correct answer padded with 4 MB of JSON whitespace, announced in Content-Length.
      const big = Buffer.concat([Buffer.from(JSON.stringify(answer)), Buffer.alloc(4 << 20, 0x20)]);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': big.length });
      res.end(big);
      return;
    }
    if (mode === 'oversized-chunked') {
      // The same, chunked (no length announced): only a bound while reading refuses it.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(JSON.stringify(answer));
      const chunk = Buffer.alloc(64 << 10, 0x20);
      for (let i = 0; i < 128 && !res.destroyed; i++) {
        if (!res.write(chunk)) await drainedOrClosed(res);
      }
      res.end();
      return;
    }
    send(200, answer);
  };
  const server: Server = createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.once('close', () => inFlight--);
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    maxInFlight: () => maxInFlight,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** A loopback URL where nothing listens (a port that was just free). */
export async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
