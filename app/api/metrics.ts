// The API node's Prometheus metrics (prom-client), served on its own HTTP port at /metrics.
// Observability only.
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';

export class ApiMetrics {
  readonly registry = new Registry();
  readonly noncesPerSecond = new Gauge({
    name: 'gonka_api_poc_nonces_per_second',
    help: 'PoC nonces appended per second over the last progress interval',
    registers: [this.registry],
  });
  readonly count = new Gauge({
    name: 'gonka_api_poc_count',
    help: 'Leaves in the current Sprint artifact store',
    registers: [this.registry],
  });
  readonly nonces = new Counter({
    name: 'gonka_api_poc_nonces_total',
    help: 'PoC nonces appended to artifact stores since start',
    registers: [this.registry],
  });
  readonly commitsSent = new Counter({
    name: 'gonka_api_poc_commits_sent_total',
    help: 'MsgPocCommit accepted into the mempool',
    registers: [this.registry],
  });
  readonly votesSent = new Counter({
    name: 'gonka_api_poc_votes_sent_total',
    help: 'MsgPocValidation accepted into the mempool',
    registers: [this.registry],
  });
  readonly fraudProofsSent = new Counter({
    name: 'gonka_api_poc_fraud_proofs_sent_total',
    help: 'MsgPocFraudProof accepted into the mempool',
    registers: [this.registry],
  });
  readonly proofsServed = new Counter({
    name: 'gonka_api_poc_proofs_served_total',
    help: 'Inclusion proofs returned by POST /v1/poc/proofs',
    registers: [this.registry],
  });
  readonly txsSent = new Counter({
    name: 'gonka_api_txs_sent_total',
    help: 'Txs the broadcaster got into the mempool',
    registers: [this.registry],
  });
  readonly broadcastErrors = new Counter({
    name: 'gonka_api_broadcast_errors_total',
    help: 'Broadcast refusals and failures (sequence mismatches included)',
    registers: [this.registry],
  });
  readonly inferencesStarted = new Counter({
    name: 'gonka_api_inferences_started_total',
    help: 'Chat completions this node forwarded as transfer agent (MsgStartInference queued)',
    registers: [this.registry],
  });
  readonly inferencesExecuted = new Counter({
    name: 'gonka_api_inferences_executed_total',
    help: 'Inferences this node ran as executor to the end (MsgFinishInference queued)',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'gonka_api_' });
  }
}
