// x/poc errors (codespace `poc`); append-only.
import { registerError } from '../../app/runtime/errors.js';

export const pocErrors = {
  invalidParams: registerError('poc', 2, 'invalid params'),
  unknownParticipant: registerError('poc', 3, 'unknown participant'),
  invalidParticipant: registerError('poc', 4, 'invalid participant'),
  invalidGenesis: registerError('poc', 5, 'invalid genesis'),
  // The Sprint (issue 12)
  wrongStage: registerError('poc', 6, 'not accepted in this Sprint stage'),
  wrongEpoch: registerError('poc', 7, 'not the running Sprint epoch'),
  unknownClass: registerError('poc', 8, 'unknown PoC class'),
  countOutOfRange: registerError('poc', 9, 'commit count out of range'),
  duplicateVote: registerError('poc', 10, 'duplicate PoC vote'),
  noVotingPower: registerError('poc', 11, 'voter has no power this epoch'),
  invalidSampleSig: registerError('poc', 12, 'invalid sample signature'),
  noCommit: registerError('poc', 13, 'no commit for this participant and class'),
  invalidPop: registerError('poc', 14, 'invalid proof of possession'),
  duplicateConsensusKey: registerError('poc', 15, 'consensus key already registered'),
  alreadyRegistered: registerError('poc', 16, 'participant already registered'),
  missingPubkey: registerError('poc', 17, 'account has no public key'),
  participantLimit: registerError('poc', 18, 'participant limit reached'),
  // Fraud proofs (issue 13; checked in this order, fraud.ts)
  malformedFraudProof: registerError('poc', 19, 'malformed fraud proof'),
  notFraudProvable: registerError('poc', 20, 'class is not fraud-provable'),
  fraudProofWindow: registerError('poc', 21, 'fraud proof outside its window'),
  alreadyProven: registerError('poc', 22, 'fraud already proven'),
  fraudProofLimit: registerError('poc', 23, 'fraud-proof limit of this block reached'),
  proofMismatch: registerError('poc', 24, 'inclusion proof does not match the commit'),
  notForgery: registerError('poc', 25, 'not a forgery'),
};

/** Confirmation rounds (issue 13; codes preassigned by the contract). */
export const roundErrors = {
  noRound: registerError('poc', 26, 'no such confirmation round or round not running'),
  notEligible: registerError('poc', 27, 'not eligible for this confirmation round'),
};
