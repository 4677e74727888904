// Amino JSON (SIGN_MODE_LEGACY_AMINO_JSON) for every message the chain routes: the SDK's amino
// names for bank, gov and consensus, `gonka/<module>/Msg…` for ours, and each message's field
// schema. The chain rebuilds the StdSignDoc from it (x/auth/ante/aminoJson.ts); wallets use
// `gonkaAminoConverters` with CosmJS:
//   new AminoTypes({ ...createDefaultAminoConverters(), ...gonkaAminoConverters })
// (our bank converters equal CosmJS's; gov v1, which CosmJS lacks, and ours are added).
import type { AminoConverters } from '@cosmjs/stargate';
import {
  MsgUpdateParams as BankUpdateParams,
  MsgMultiSend,
  MsgSend,
  MsgSetSendEnabled,
} from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { MsgUpdateParams as ConsensusUpdateParams } from 'cosmjs-types/cosmos/consensus/v1/tx';
import {
  MsgUpdateParams as GovUpdateParams,
  MsgCancelProposal,
  MsgDeposit,
  MsgSubmitProposal,
  MsgVote,
  MsgVoteWeighted,
} from 'cosmjs-types/cosmos/gov/v1/tx';
import * as authTx from '../gen/gonka/auth/v1/tx.js';
import * as collateralTx from '../gen/gonka/collateral/v1/tx.js';
import * as governanceTx from '../gen/gonka/governance/v1/tx.js';
import * as inferenceTx from '../gen/gonka/inference/v1/tx.js';
import * as pocTx from '../gen/gonka/poc/v1/tx.js';
import { aminoPrefix, decodeAminoBinary, encodeAminoBinary, type InterfaceBinary } from './amino/binary.js';
import {
  type AminoJsonMsg,
  type AnyCodec,
  COIN,
  coins,
  f,
  fromAminoJson,
  type MessageSchema,
  schema,
  toAminoJson,
} from './amino/schema.js';

export { type AminoJsonMsg, canonicalAminoJson } from './amino/schema.js';

interface Codec {
  encode(m: never): { finish(): Uint8Array };
  decode(b: Uint8Array): unknown;
  fromPartial(o: never): unknown;
}

export interface AminoEntry {
  typeUrl: string;
  /** The amino name (`type` of the sign doc's msg); at most 39 characters, as Ledger requires. */
  aminoType: string;
  schema: MessageSchema;
  codec: Codec;
}

const ADDR = 'string';

// ---- cosmos.bank.v1beta1 (the SDK's amino names and dont_omitempty marks) ----
const SEND_ENABLED = schema(f('denom', 'string'), f('enabled', 'bool'));
const IO = schema(f('address', ADDR), coins('coins'));
const BANK_PARAMS = schema(
  f('send_enabled', SEND_ENABLED, { repeated: true }),
  f('default_send_enabled', 'bool'),
);

// ---- cosmos.gov.v1 ----
const WEIGHTED_OPTION = schema(f('option', 'enum'), f('weight', 'string'));
const GOV_PARAMS = schema(
  coins('min_deposit'),
  f('max_deposit_period', 'duration'),
  f('voting_period', 'duration'),
  f('quorum', 'string'),
  f('threshold', 'string'),
  f('veto_threshold', 'string'),
  f('min_initial_deposit_ratio', 'string'),
  f('proposal_cancel_ratio', 'string'),
  f('proposal_cancel_dest', 'string'),
  f('expedited_voting_period', 'duration'),
  f('expedited_threshold', 'string'),
  coins('expedited_min_deposit'),
  f('burn_vote_quorum', 'bool'),
  f('burn_proposal_deposit_prevote', 'bool'),
  f('burn_vote_veto', 'bool'),
  f('min_deposit_ratio', 'string'),
);

// ---- cosmos.consensus.v1 (tendermint.types params) ----
const CONSENSUS_UPDATE = schema(
  f('authority', ADDR),
  f('block', schema(f('max_bytes', 'int64'), f('max_gas', 'int64'))),
  f(
    'evidence',
    schema(f('max_age_num_blocks', 'int64'), f('max_age_duration', 'duration'), f('max_bytes', 'int64')),
  ),
  f('validator', schema(f('pub_key_types', 'string', { repeated: true }))),
  f('abci', schema(f('vote_extensions_enable_height', 'int64'))),
);

// ---- gonka ----
const AUTH_PARAMS = schema(
  f('max_memo_characters', 'uint64'),
  f('tx_sig_limit', 'uint64'),
  f('tx_size_cost_per_byte', 'uint64'),
  f('sig_verify_cost_ed25519', 'uint64'),
  f('sig_verify_cost_secp256k1', 'uint64'),
  f('min_gas_price', 'string'),
  f('max_tx_bytes', 'uint64'),
);
const COLLATERAL_PARAMS = schema(
  f('unbonding_period_epochs', 'uint64'),
  f('slash_fraction_invalid', 'string'),
  f('slash_fraction_downtime', 'string'),
  f('base_weight_ratio', 'string'),
  f('collateral_per_weight_unit', 'string'),
  f('grace_period_end_epoch', 'uint64'),
  f('slash_fraction_double_sign', 'string'),
  f('signed_blocks_window', 'uint64'),
  f('min_signed_per_window', 'string'),
  f('downtime_jail_blocks', 'uint64'),
  f('max_evidence_age_blocks', 'uint64'),
);
const POC_PARAMS = schema(
  f('epoch_length', 'uint64'),
  f('generation_blocks', 'uint64'),
  f('commit_blocks', 'uint64'),
  f('validation_blocks', 'uint64'),
  f('dkg_blocks', 'uint64'),
  f('sample_size', 'uint32'),
  f('max_power_fraction', 'string'),
  f(
    'classes',
    schema(
      f('class_id', 'uint32'),
      f('coefficient', 'string'),
      f('max_count', 'uint64'),
      f('fraud_provable', 'bool'),
      f('fraud_proof_gas', 'uint64'),
    ),
    { repeated: true },
  ),
  f('max_participants', 'uint32'),
  f('fraud_proofs_per_block', 'uint32'),
  f('fraud_reward_fraction', 'string'),
  f(
    'confirmation',
    schema(
      f('expected_per_epoch', 'uint32'),
      f('generation_blocks', 'uint64'),
      f('commit_blocks', 'uint64'),
      f('validation_blocks', 'uint64'),
      f('boundary_margin', 'uint64'),
      f('sample_size', 'uint32'),
      f('alpha', 'string'),
      f('rate_tolerance', 'string'),
    ),
  ),
);
const POC_VALIDATION = schema(
  f('participant', ADDR),
  f('class_id', 'uint32'),
  f('verdict', 'enum'),
  f('sample_sig', 'bytes'),
);

const entry = (typeUrl: string, aminoType: string, codec: unknown, s: MessageSchema): AminoEntry => ({
  typeUrl,
  aminoType,
  schema: s,
  codec: codec as Codec,
});
const INFERENCE_PARAMS = schema(
  f('expiration_blocks', 'uint64'),
  f('max_tokens_cap', 'uint64'),
  f('max_inference_msgs_per_block', 'uint32'),
  f('signed_request_window_ms', 'uint64'),
  f('max_models', 'uint32'),
  f('max_keys_per_owner', 'uint32'),
);
const INFERENCE_MODEL = schema(
  f('id', 'string'),
  f('artifact_hash', 'bytes'),
  f('context_length', 'uint64'),
  f(
    'price',
    schema(
      f('initial_price', 'string'),
      f('min_price', 'string'),
      f('utilization_low', 'string'),
      f('utilization_high', 'string'),
      f('elasticity', 'string'),
      f('max_change_per_block', 'string'),
      f('capacity_tokens_per_block', 'uint64'),
      f('window_blocks', 'uint64'),
    ),
  ),
  f('validation_threshold', 'string'),
  f('poc_class', 'uint32'),
);
const DEVELOPER_SIGNATURE = schema(
  f('body_hash', 'bytes'),
  f('timestamp_ms', 'uint64'),
  f('pubkey', 'bytes'),
  f('signature', 'bytes'),
);

const url = (c: { $type: string }) => `/${c.$type}`;

/** Every message with an Amino JSON form, by type URL. */
export const AMINO_ENTRIES: readonly AminoEntry[] = [
  entry(
    '/cosmos.bank.v1beta1.MsgSend',
    'cosmos-sdk/MsgSend',
    MsgSend,
    schema(f('from_address', ADDR), f('to_address', ADDR), coins('amount')),
  ),
  entry(
    '/cosmos.bank.v1beta1.MsgMultiSend',
    'cosmos-sdk/MsgMultiSend',
    MsgMultiSend,
    schema(f('inputs', IO, { repeated: true, keep: true }), f('outputs', IO, { repeated: true, keep: true })),
  ),
  entry(
    '/cosmos.bank.v1beta1.MsgUpdateParams',
    'cosmos-sdk/x/bank/MsgUpdateParams',
    BankUpdateParams,
    schema(f('authority', ADDR), f('params', BANK_PARAMS, { keep: true })),
  ),
  entry(
    '/cosmos.bank.v1beta1.MsgSetSendEnabled',
    'cosmos-sdk/MsgSetSendEnabled',
    MsgSetSendEnabled,
    schema(
      f('authority', ADDR),
      f('send_enabled', SEND_ENABLED, { repeated: true }),
      f('use_default_for', 'string', { repeated: true }),
    ),
  ),
  entry(
    '/cosmos.gov.v1.MsgSubmitProposal',
    'cosmos-sdk/v1/MsgSubmitProposal',
    MsgSubmitProposal,
    schema(
      f('messages', 'any', { repeated: true }),
      coins('initial_deposit'),
      f('proposer', ADDR),
      f('metadata', 'string'),
      f('title', 'string'),
      f('summary', 'string'),
      f('expedited', 'bool'),
    ),
  ),
  entry(
    '/cosmos.gov.v1.MsgDeposit',
    'cosmos-sdk/v1/MsgDeposit',
    MsgDeposit,
    schema(f('proposal_id', 'uint64', { keep: true }), f('depositor', ADDR), coins('amount')),
  ),
  entry(
    '/cosmos.gov.v1.MsgVote',
    'cosmos-sdk/v1/MsgVote',
    MsgVote,
    schema(
      f('proposal_id', 'uint64', { keep: true }),
      f('voter', ADDR),
      f('option', 'enum'),
      f('metadata', 'string'),
    ),
  ),
  entry(
    '/cosmos.gov.v1.MsgVoteWeighted',
    'cosmos-sdk/v1/MsgVoteWeighted',
    MsgVoteWeighted,
    schema(
      f('proposal_id', 'uint64', { keep: true }),
      f('voter', ADDR),
      f('options', WEIGHTED_OPTION, { repeated: true }),
      f('metadata', 'string'),
    ),
  ),
  entry(
    '/cosmos.gov.v1.MsgCancelProposal',
    'cosmos-sdk/v1/MsgCancelProposal',
    MsgCancelProposal,
    schema(f('proposal_id', 'uint64'), f('proposer', ADDR)),
  ),
  entry(
    '/cosmos.gov.v1.MsgUpdateParams',
    'cosmos-sdk/x/gov/v1/MsgUpdateParams',
    GovUpdateParams,
    schema(f('authority', ADDR), f('params', GOV_PARAMS, { keep: true })),
  ),
  entry(
    '/cosmos.consensus.v1.MsgUpdateParams',
    'cosmos-sdk/x/consensus/MsgUpdateParams',
    ConsensusUpdateParams,
    CONSENSUS_UPDATE,
  ),
  entry(
    url(authTx.MsgUpdateParams),
    'gonka/auth/MsgUpdateParams',
    authTx.MsgUpdateParams,
    schema(f('authority', ADDR), f('params', AUTH_PARAMS)),
  ),
  entry(
    url(collateralTx.MsgDepositCollateral),
    'gonka/collateral/MsgDepositCollateral',
    collateralTx.MsgDepositCollateral,
    schema(f('participant', ADDR), f('amount', COIN)),
  ),
  entry(
    url(collateralTx.MsgWithdrawCollateral),
    'gonka/collateral/MsgWithdrawCollateral',
    collateralTx.MsgWithdrawCollateral,
    schema(f('participant', ADDR), f('amount', COIN)),
  ),
  entry(
    url(collateralTx.MsgUnjail),
    'gonka/collateral/MsgUnjail',
    collateralTx.MsgUnjail,
    schema(f('participant', ADDR)),
  ),
  entry(
    url(collateralTx.MsgUpdateParams),
    'gonka/collateral/MsgUpdateParams',
    collateralTx.MsgUpdateParams,
    schema(f('authority', ADDR), f('params', COLLATERAL_PARAMS)),
  ),
  entry(
    url(governanceTx.MsgUpdateLimits),
    'gonka/governance/MsgUpdateLimits',
    governanceTx.MsgUpdateLimits,
    schema(
      f('authority', ADDR),
      f('max_messages', 'uint64'),
      f('max_title_length', 'uint64'),
      f('max_metadata_length', 'uint64'),
      f('max_summary_length', 'uint64'),
      f('max_open_proposals', 'uint64'),
    ),
  ),
  entry(
    url(pocTx.MsgUpdateParams),
    'gonka/poc/MsgUpdateParams',
    pocTx.MsgUpdateParams,
    schema(f('authority', ADDR), f('params', POC_PARAMS)),
  ),
  entry(
    url(pocTx.MsgRegisterParticipant),
    'gonka/poc/MsgRegisterParticipant',
    pocTx.MsgRegisterParticipant,
    schema(
      f('participant', ADDR),
      f('api_url', 'string'),
      f('consensus_pubkey', 'bytes'),
      f('pop', 'bytes'),
      f('classes', 'uint32', { repeated: true }),
    ),
  ),
  entry(
    url(pocTx.MsgUpdateParticipant),
    'gonka/poc/MsgUpdateParticipant',
    pocTx.MsgUpdateParticipant,
    schema(f('participant', ADDR), f('api_url', 'string'), f('classes', 'uint32', { repeated: true })),
  ),
  entry(
    url(pocTx.MsgPocCommit),
    'gonka/poc/MsgPocCommit',
    pocTx.MsgPocCommit,
    schema(
      f('participant', ADDR),
      f('epoch', 'uint64'),
      f('class_id', 'uint32'),
      f('count', 'uint64'),
      f('root', 'bytes'),
      f('round', 'uint32'),
    ),
  ),
  entry(
    url(pocTx.MsgPocValidation),
    'gonka/poc/MsgPocValidation',
    pocTx.MsgPocValidation,
    schema(
      f('validator', ADDR),
      f('epoch', 'uint64'),
      f('validations', POC_VALIDATION, { repeated: true }),
      f('round', 'uint32'),
    ),
  ),
  entry(
    url(pocTx.MsgPocFraudProof),
    'gonka/poc/MsgPocFraudProof',
    pocTx.MsgPocFraudProof,
    schema(
      f('prover', ADDR),
      f('epoch', 'uint64'),
      f('participant', ADDR),
      f('class_id', 'uint32'),
      f('index', 'uint64'),
      f('nonce', 'uint64'),
      f('output', 'bytes'),
      f('path', 'bytes', { repeated: true }),
      f('round', 'uint32'),
    ),
  ),
  entry(
    url(inferenceTx.MsgUpdateParams),
    'gonka/inference/MsgUpdateParams',
    inferenceTx.MsgUpdateParams,
    schema(f('authority', ADDR), f('params', INFERENCE_PARAMS)),
  ),
  entry(
    url(inferenceTx.MsgRegisterModel),
    'gonka/inference/MsgRegisterModel',
    inferenceTx.MsgRegisterModel,
    schema(f('authority', ADDR), f('model', INFERENCE_MODEL)),
  ),
  entry(
    url(inferenceTx.MsgRegisterApiKey),
    'gonka/inference/MsgRegisterApiKey',
    inferenceTx.MsgRegisterApiKey,
    schema(
      f('owner', ADDR),
      f('key_hash', 'bytes'),
      f('transfer_agent', ADDR),
      f('spend_limit_per_epoch', 'string'),
    ),
  ),
  entry(
    url(inferenceTx.MsgRevokeApiKey),
    'gonka/inference/MsgRevokeApiKey',
    inferenceTx.MsgRevokeApiKey,
    schema(f('owner', ADDR), f('key_hash', 'bytes')),
  ),
  entry(
    url(inferenceTx.MsgStartInference),
    'gonka/inference/MsgStartInference',
    inferenceTx.MsgStartInference,
    schema(
      f('transfer_agent', ADDR),
      f('inference_id', 'string'),
      f('model_id', 'string'),
      f('requested_by', ADDR),
      f('executor', ADDR),
      f('prompt_hash', 'bytes'),
      f('prompt_tokens', 'uint64'),
      f('max_tokens', 'uint64'),
      f('key_hash', 'bytes'),
      f('dev_sig', DEVELOPER_SIGNATURE),
    ),
  ),
  entry(
    url(inferenceTx.MsgFinishInference),
    'gonka/inference/MsgFinishInference',
    inferenceTx.MsgFinishInference,
    schema(
      f('executor', ADDR),
      f('inference_id', 'string'),
      f('model_id', 'string'),
      f('transfer_agent', ADDR),
      f('prompt_tokens', 'uint64'),
      f('completion_tokens', 'uint64'),
      f('response_hash', 'bytes'),
      f('payload_hash', 'bytes'),
    ),
  ),
];

const byUrl = new Map(AMINO_ENTRIES.map((e) => [e.typeUrl, e]));
const byName = new Map(AMINO_ENTRIES.map((e) => [e.aminoType, e]));

export function aminoEntry(typeUrl: string): AminoEntry | undefined {
  return byUrl.get(typeUrl);
}

/**
 * How deep messages may nest inside messages (a proposal's messages are one level): bounded so an
 * untrusted tx cannot drive the recursion to the stack limit, which differs between machines and
 * would make the outcome machine-dependent.
 */
export const MAX_ANY_DEPTH = 8;
let depth = 0;
function nested<T>(f: () => T): T {
  if (depth >= MAX_ANY_DEPTH) throw new Error(`amino: messages nested deeper than ${MAX_ANY_DEPTH}`);
  depth++;
  try {
    return f();
  } finally {
    depth--;
  }
}

/** Any ⇄ `{type, value}` through the table (used for top-level and nested messages alike). */
export const aminoAnyCodec: AnyCodec = {
  toAmino: (any) => nested(() => anyToAmino(any)),
  fromAmino: (msg) => nested(() => anyFromAmino(msg)),
};

function anyToAmino(any: { typeUrl: string; value: Uint8Array }): AminoJsonMsg {
  const e = byUrl.get(any.typeUrl);
  if (!e) throw new Error(`amino: no amino form for ${any.typeUrl}`);
  return {
    type: e.aminoType,
    value: toAminoJson(e.schema, e.codec.decode(any.value) as Record<string, unknown>, aminoAnyCodec),
  };
}

function anyFromAmino(msg: AminoJsonMsg): { typeUrl: string; value: Uint8Array } {
  if (typeof msg !== 'object' || msg === null || typeof msg.type !== 'string')
    throw new Error('amino: a message is {type, value}');
  const e = byName.get(msg.type);
  if (!e) throw new Error(`amino: unknown amino type ${msg.type}`);
  const obj = fromAminoJson(e.schema, msg.value ?? {}, aminoAnyCodec);
  return { typeUrl: e.typeUrl, value: e.codec.encode(e.codec.fromPartial(obj as never) as never).finish() };
}

/** The Amino JSON msg of one decoded message object of type `typeUrl`. */
export function msgToAmino(typeUrl: string, value: unknown): AminoJsonMsg {
  const e = byUrl.get(typeUrl);
  if (!e) throw new Error(`amino: no amino form for ${typeUrl}`);
  return { type: e.aminoType, value: toAminoJson(e.schema, value as Record<string, unknown>, aminoAnyCodec) };
}

/** What createDefaultAminoConverters already converts, to the same JSON. */
const COSMJS_HAS = new Set(['/cosmos.bank.v1beta1.MsgSend', '/cosmos.bank.v1beta1.MsgMultiSend']);

/**
 * CosmJS AminoTypes converters for the messages CosmJS does not know (bank params, gov v1,
 * consensus and gonka); spread after createDefaultAminoConverters().
 */
export const gonkaAminoConverters: AminoConverters = Object.fromEntries(
  AMINO_ENTRIES.filter((e) => !COSMJS_HAS.has(e.typeUrl)).map((e) => [
    e.typeUrl,
    {
      aminoType: e.aminoType,
      toAmino: (value: unknown) => msgToAmino(e.typeUrl, value).value,
      fromAmino: (value: Record<string, unknown>) =>
        e.codec.fromPartial(fromAminoJson(e.schema, value, aminoAnyCodec) as never),
    },
  ]),
);

/** Amino binary of messages behind an Any: prefix of the amino name, then the struct. */
export const aminoBinaryInterfaces: InterfaceBinary = {
  encodeAny: (any) => nested(() => anyToBinary(any)),
  decodeAny: (bytes) => nested(() => anyFromBinary(bytes)),
};

function anyToBinary(any: { typeUrl: string; value: Uint8Array }): Uint8Array {
  const e = byUrl.get(any.typeUrl);
  if (!e) throw new Error(`amino: no amino form for ${any.typeUrl}`);
  const body = encodeAminoBinary(
    e.schema,
    e.codec.decode(any.value) as Record<string, unknown>,
    aminoBinaryInterfaces,
  );
  return Buffer.concat([aminoPrefix(e.aminoType), body]);
}

function anyFromBinary(bytes: Uint8Array): { typeUrl: string; value: Uint8Array } {
  const prefix = Buffer.from(bytes.subarray(0, 4)).toString('hex');
  const e = byPrefix.get(prefix);
  if (!e) throw new Error(`amino: unknown amino prefix ${prefix}`);
  const obj = decodeAminoBinary(e.schema, bytes.subarray(4), aminoBinaryInterfaces);
  return { typeUrl: e.typeUrl, value: e.codec.encode(e.codec.fromPartial(obj as never) as never).finish() };
}
const byPrefix = new Map(
  AMINO_ENTRIES.map((e) => [Buffer.from(aminoPrefix(e.aminoType)).toString('hex'), e]),
);
