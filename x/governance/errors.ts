// x/governance errors (codespace `gov`), numbered as the SDK's x/gov/types/errors.go so wallets and
// explorers that know them read them the same.
import { registerError } from '../../app/runtime/errors.js';

export const govErrors = {
  unknownProposal: registerError('gov', 2, 'unknown proposal'),
  inactiveProposal: registerError('gov', 3, 'inactive proposal'),
  invalidProposalContent: registerError('gov', 5, 'invalid proposal content'),
  invalidVote: registerError('gov', 7, 'invalid vote option'),
  invalidGenesis: registerError('gov', 8, 'invalid genesis state'),
  unroutableProposalMsg: registerError('gov', 10, 'proposal message not recognized by router'),
  invalidProposalMsg: registerError('gov', 12, 'invalid proposal message'),
  invalidSigner: registerError('gov', 13, 'expected gov account as only signer for proposal message'),
  metadataTooLong: registerError('gov', 15, 'metadata too long'),
  minDepositTooSmall: registerError('gov', 16, 'minimum deposit is too small'),
  invalidProposer: registerError('gov', 18, 'invalid proposer'),
  votingPeriodEnded: registerError('gov', 20, 'voting period already ended'),
  invalidProposal: registerError('gov', 21, 'invalid proposal'),
  summaryTooLong: registerError('gov', 22, 'summary too long'),
  invalidDepositDenom: registerError('gov', 23, 'invalid deposit denom'),
  // Gonka additions, after the SDK's numbers.
  noVotingPower: registerError('gov', 100, 'voter has no voting power'),
  tooManyMessages: registerError('gov', 101, 'too many proposal messages'),
  tooManyOpenProposals: registerError('gov', 102, 'too many open proposals'),
  invalidParams: registerError('gov', 103, 'invalid params'),
};
