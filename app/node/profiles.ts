// Timing profiles for CometBFT's consensus: `devnet` is tuned for a person watching (about a block
// a second), `fast` for tests (DESIGN.md §10: timeout_commit ≈ 150 ms). Multi-validator networks
// keep timeout_propose ≥ 1 s so a slow proposer on 2 shared cores does not cause round churn.
export type ProfileName = 'devnet' | 'fast';

export interface ConsensusProfile {
  timeout_propose: string;
  timeout_propose_delta: string;
  timeout_prevote: string;
  timeout_prevote_delta: string;
  timeout_precommit: string;
  timeout_precommit_delta: string;
  timeout_commit: string;
}

export const profiles: Record<ProfileName, ConsensusProfile> = {
  devnet: {
    timeout_propose: '3s',
    timeout_propose_delta: '500ms',
    timeout_prevote: '1s',
    timeout_prevote_delta: '500ms',
    timeout_precommit: '1s',
    timeout_precommit_delta: '500ms',
    timeout_commit: '1s',
  },
  fast: {
    timeout_propose: '1s',
    timeout_propose_delta: '200ms',
    timeout_prevote: '300ms',
    timeout_prevote_delta: '100ms',
    timeout_precommit: '300ms',
    timeout_precommit_delta: '100ms',
    timeout_commit: '150ms',
  },
};
