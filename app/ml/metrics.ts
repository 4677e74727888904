// Prometheus metrics of the ML node (prom-client, unit suffixes), in a registry of its own so
// several nodes in one test process do not collide.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export class MlMetrics {
  readonly registry = new Registry();
  readonly noncesMined: Counter;
  readonly noncesPerSecond: Gauge;
  readonly activeJobs: Gauge;
  readonly sessions: Gauge;
  readonly requestErrors: Counter<'code'>;
  readonly inferenceTokens: Counter<'model'>;
  readonly inferenceQueueDepth: Gauge<'model'>;
  readonly inferenceTtft: Histogram<'model'>;

  constructor(ratePerSecond: () => number) {
    const registers = [this.registry];
    this.noncesMined = new Counter({
      name: 'gonka_ml_nonces_mined_total',
      help: 'PoC nonces mined and sent to clients',
      registers,
    });
    this.noncesPerSecond = new Gauge({
      name: 'gonka_ml_nonces_per_second',
      help: 'PoC nonces sent per second over the last 5 s',
      registers,
      collect() {
        this.set(ratePerSecond());
      },
    });
    this.activeJobs = new Gauge({
      name: 'gonka_ml_active_jobs',
      help: 'mine requests being served',
      registers,
    });
    this.sessions = new Gauge({
      name: 'gonka_ml_mining_sessions',
      help: 'open mining sessions (one per block hash, class and public key)',
      registers,
    });
    this.requestErrors = new Counter({
      name: 'gonka_ml_request_errors_total',
      help: 'HTTP requests answered with an error, by status code',
      labelNames: ['code'],
      registers,
    });
    this.inferenceTokens = new Counter({
      name: 'gonka_ml_inference_tokens_total',
      help: 'tokens generated and streamed, by model',
      labelNames: ['model'],
      registers,
    });
    this.inferenceQueueDepth = new Gauge({
      name: 'gonka_ml_inference_queue_depth',
      help: 'inference requests admitted and not finished (running + waiting), by model',
      labelNames: ['model'],
      registers,
    });
    this.inferenceTtft = new Histogram({
      name: 'gonka_ml_inference_time_to_first_token_seconds',
      help: 'from a generate request received to its first token, queue wait included, by model',
      labelNames: ['model'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
  }
}
