// The node's Prometheus metrics (prom-client) on the `appMetrics` port (9464 by default, DESIGN.md
// §9): ABCI request counts and durations by method, query durations (the longest too), committed
// height, txs and commit time, plus
// Node's process metrics. Observability only: nothing here feeds back into consensus.
import { createServer, type Server } from 'node:http';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export class NodeMetrics {
  readonly registry = new Registry();
  readonly abciRequests = new Counter({
    name: 'gonka_abci_requests_total',
    help: 'ABCI requests answered, by method',
    labelNames: ['method'] as const,
    registers: [this.registry],
  });
  readonly abciSeconds = new Histogram({
    name: 'gonka_abci_request_duration_seconds',
    help: 'Time to answer an ABCI request, by method (queue wait included)',
    labelNames: ['method'] as const,
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [this.registry],
  });
  readonly height = new Gauge({
    name: 'gonka_block_height',
    help: 'Height of the last committed block',
    registers: [this.registry],
  });
  readonly txs = new Counter({
    name: 'gonka_block_txs_total',
    help: 'Txs in committed blocks',
    registers: [this.registry],
  });

  readonly querySeconds = new Histogram({
    name: 'gonka_query_duration_seconds',
    help: 'Time one query (ABCI Query or gRPC) held the event loop, queue wait excluded',
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5],
    registers: [this.registry],
  });
  readonly queryMaxSeconds = new Gauge({
    name: 'gonka_query_max_duration_seconds',
    help: 'Longest single query since the node started',
    registers: [this.registry],
  });
  readonly queryCpuMaxSeconds = new Gauge({
    name: 'gonka_query_max_cpu_seconds',
    help:
      'Most CPU time the event-loop thread used in one query since the node started (Linux; elsewhere ' +
      'the whole process); far below the longest duration means the OS had descheduled the node',
    registers: [this.registry],
  });
  readonly queryCpuOver20ms = new Counter({
    name: 'gonka_query_cpu_over_20ms_total',
    help: "Queries that used over 20 ms of the event-loop thread's CPU",
    registers: [this.registry],
  });
  private queryMax = 0;
  private queryCpuMax = 0;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'gonka_' });
  }

  /** One query: its wall time and the CPU time the process used meanwhile (seconds). */
  observeQuery(seconds: number, cpuSeconds?: number): void {
    this.querySeconds.observe(seconds);
    if (seconds > this.queryMax) {
      this.queryMax = seconds;
      this.queryMaxSeconds.set(seconds);
    }
    if (cpuSeconds === undefined) return;
    if (cpuSeconds > 0.02) this.queryCpuOver20ms.inc();
    if (cpuSeconds > this.queryCpuMax) {
      this.queryCpuMax = cpuSeconds;
      this.queryCpuMaxSeconds.set(cpuSeconds);
    }
  }

  /** Serves GET /metrics on host:port; resolves with the bound port. */
  async serve(host: string, port: number): Promise<{ port: number; close(): Promise<void> }> {
    const server: Server = createServer((req, res) => {
      if (req.method !== 'GET' || req.url !== '/metrics') {
        res.writeHead(404).end('not found: GET /metrics\n');
        return;
      }
      this.registry.metrics().then(
        (body) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(body),
        (e: unknown) => res.writeHead(500).end(String(e)),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const addr = server.address();
    return {
      port: typeof addr === 'object' && addr ? addr.port : port,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }
}
