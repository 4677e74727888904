// Checks on a CometBFT consensus-param update before it reaches CometBFT: the rules of CometBFT
// v0.38's ConsensusParams.ValidateBasic and ValidateUpdate, plus this chain's fixed choices (ed25519
// validators, vote extensions on from height 1). A value CometBFT would refuse must be refused
// here: CometBFT halts on an invalid update returned from FinalizeBlock.
import type { MsgUpdateParams } from 'cosmjs-types/cosmos/consensus/v1/tx';
import type { ConsensusParams } from 'cosmjs-types/tendermint/types/params';
import { sdkErrors } from '../errors.js';

/** CometBFT's types.MaxBlockSizeBytes (100 MiB). */
export const MAX_BLOCK_SIZE_BYTES = 104_857_600n;
/** DESIGN.md §4: vote extensions are enabled from height 1 in every genesis and never change. */
export const VOTE_EXTENSIONS_ENABLE_HEIGHT = 1n;
/** Key types CometBFT v0.38 accepts for validators. */
export const KNOWN_PUBKEY_TYPES = new Set(['ed25519', 'secp256k1']);

const bad = (msg: string) => sdkErrors.invalidRequest(`invalid consensus params: ${msg}`);

export function consensusParamsFromMsg(m: MsgUpdateParams): ConsensusParams {
  const { block, evidence, validator, abci } = m;
  // As in the SDK's x/consensus: the whole block, evidence and validator sections must be given
  // (CometBFT replaces a section wholesale), abci is optional.
  if (!block || !evidence || !validator) throw bad('block, evidence and validator params must all be set');
  if (block.maxBytes !== -1n && (block.maxBytes <= 0n || block.maxBytes > MAX_BLOCK_SIZE_BYTES))
    throw bad(`block.max_bytes must be -1 or in [1, ${MAX_BLOCK_SIZE_BYTES}], got ${block.maxBytes}`);
  if (block.maxGas < -1n) throw bad(`block.max_gas must be -1 or more, got ${block.maxGas}`);
  if (evidence.maxAgeNumBlocks <= 0n)
    throw bad(`evidence.max_age_num_blocks must be positive, got ${evidence.maxAgeNumBlocks}`);
  const age = evidence.maxAgeDuration;
  if (!age || age.seconds < 0n || age.nanos < 0 || (age.seconds === 0n && age.nanos === 0))
    throw bad('evidence.max_age_duration must be positive');
  const blockMax = block.maxBytes === -1n ? MAX_BLOCK_SIZE_BYTES : block.maxBytes;
  if (evidence.maxBytes < 0n || evidence.maxBytes > blockMax)
    throw bad(`evidence.max_bytes must be in [0, ${blockMax}], got ${evidence.maxBytes}`);
  if (validator.pubKeyTypes.length === 0) throw bad('validator.pub_key_types must not be empty');
  for (const t of validator.pubKeyTypes)
    if (!KNOWN_PUBKEY_TYPES.has(t)) throw bad(`unknown validator pub key type '${t}'`);
  if (!validator.pubKeyTypes.includes('ed25519'))
    throw bad("validator.pub_key_types must keep 'ed25519' (every validator key is ed25519)");
  if (abci && abci.voteExtensionsEnableHeight !== VOTE_EXTENSIONS_ENABLE_HEIGHT)
    throw bad(
      `abci.vote_extensions_enable_height is fixed at ${VOTE_EXTENSIONS_ENABLE_HEIGHT} (CometBFT refuses to move it once enabled)`,
    );
  return { block, evidence, validator, ...(abci ? { abci } : {}) };
}
