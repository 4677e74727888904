// Prometheus metrics of the ML node (prom-client, unit suffixes), in a registry of its own so
// several nodes in one test process do not collide.
import { Counter, Gauge, Registry } from 'prom-client';

export class MlMetrics {
  readonly registry = new Registry();
  readonly noncesMined: Counter;
  readonly noncesPerSecond: Gauge;
  readonly activeJobs: Gauge;
  readonly sessions: Gauge;
  readonly requestErrors: Counter<'code'>;

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
  }
}
