// A loopback TCP relay for one directed peer link (node A dials node B through it). The harness
// owns it, so a test can cut the link (drop every connection and refuse new ones) and heal it
// (accept again) without touching either node: that is how partitions are made (DESIGN.md §10).
import { connect, createServer, type Server, type Socket } from 'node:net';

export class LinkRelay {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(
    readonly listenPort: number,
    readonly targetPort: number,
    readonly host = '127.0.0.1',
  ) {}

  get isOpen(): boolean {
    return this.server !== undefined;
  }

  /** Starts accepting and forwarding connections. */
  async open(): Promise<void> {
    if (this.server) return;
    const server = createServer((inbound) => this.forward(inbound));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.listenPort, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
  }

  /** Drops every live connection and stops listening, so the peers see the link as down. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private forward(inbound: Socket): void {
    const outbound = connect(this.targetPort, this.host);
    this.sockets.add(inbound);
    this.sockets.add(outbound);
    const drop = () => {
      inbound.destroy();
      outbound.destroy();
      this.sockets.delete(inbound);
      this.sockets.delete(outbound);
    };
    inbound.on('error', drop).on('close', drop);
    outbound.on('error', drop).on('close', drop);
    inbound.pipe(outbound);
    outbound.pipe(inbound);
  }
}
