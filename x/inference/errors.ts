// x/inference errors (codespace `inference`); append-only: a code once given keeps its meaning.
// A developer's missing funds are the SDK's own insufficient funds (sdk 5, raised by x/bank),
// which wallets and the API node already map.
import { registerError } from '../../app/runtime/errors.js';

export const inferenceErrors = {
  invalidParams: registerError('inference', 2, 'invalid params'),
  invalidGenesis: registerError('inference', 3, 'invalid genesis'),
  invalidModel: registerError('inference', 4, 'invalid model'),
  unknownModel: registerError('inference', 5, 'unknown model'),
  tooManyModels: registerError('inference', 6, 'too many models'),
  invalidApiKey: registerError('inference', 7, 'invalid api key'),
  duplicateApiKey: registerError('inference', 8, 'api key already registered'),
  unknownApiKey: registerError('inference', 9, 'unknown api key'),
  revokedApiKey: registerError('inference', 10, 'api key revoked'),
  notKeyOwner: registerError('inference', 11, 'not the api key owner'),
  tooManyApiKeys: registerError('inference', 12, 'too many api keys'),
  notKeyTransferAgent: registerError('inference', 13, "not the api key's transfer agent"),
  spendLimitExceeded: registerError('inference', 14, 'api key spend limit exceeded for this epoch'),
  invalidDeveloperSignature: registerError('inference', 15, 'invalid developer signature'),
  staleTimestamp: registerError('inference', 16, 'signed request timestamp outside the window'),
  replayedRequest: registerError('inference', 17, 'signed request already used'),
  duplicateInference: registerError('inference', 18, 'inference id already used'),
  invalidInference: registerError('inference', 19, 'invalid inference'),
  mismatch: registerError('inference', 20, 'start and finish disagree'),
  blockLimit: registerError('inference', 21, 'inference messages per block limit reached'),
  contextExceeded: registerError('inference', 22, 'prompt + max_tokens exceed the context length'),
  maxTokensCap: registerError('inference', 23, 'tokens exceed max_tokens_cap'),
  notParticipant: registerError('inference', 24, 'executor is not a participant'),
  completionExceeded: registerError('inference', 25, 'completion tokens exceed max_tokens'),
  authorization: registerError('inference', 26, 'exactly one of key_hash and dev_sig must be set'),
};
