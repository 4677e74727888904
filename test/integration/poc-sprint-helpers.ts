// Helpers for the Sprint tests: fast Sprint params, the Sprint's messages as Any, real sample
// signatures and real ed25519 consensus keys with their proof of possession.
import { createHash } from 'node:crypto';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { ResponseFinalizeBlock } from 'cosmjs-types/tendermint/abci/types';
import { Params, type SprintState, Verdict } from '../../proto/gen/gonka/poc/v1/poc.js';
import {
  MsgPocCommit,
  MsgPocValidation,
  MsgRegisterParticipant,
  MsgUpdateParticipant,
} from '../../proto/gen/gonka/poc/v1/tx.js';
import { typeUrl } from '../../proto/gonka/registry.js';
import { defaultClasses, pocParamsToJson } from '../../x/poc/params.js';
import { ed25519PublicKey, signPop } from '../../x/poc/registration.js';
import { sampleSignBytes } from '../../x/poc/sample.js';
import type { PocChain } from './poc-chain.js';
import { CHAIN_ID, type TestKey } from './tx-harness.js';

export { Verdict };

/** Sprint params: stage lengths as given, sample 8, no cap (fraction 1), the default classes. */
export function sprintParams(
  epochLength: number,
  [gen, commit, validation, dkg]: [number, number, number, number] = [2, 2, 2, 2],
  maxParticipants = 64,
): Params {
  return Params.fromPartial({
    epochLength: BigInt(epochLength),
    generationBlocks: BigInt(gen),
    commitBlocks: BigInt(commit),
    validationBlocks: BigInt(validation),
    dkgBlocks: BigInt(dkg),
    sampleSize: 8,
    maxPowerFraction: '1',
    maxParticipants,
    classes: defaultClasses().map((c) => (c.classId === 1 ? { ...c, maxCount: 1000n } : c)),
  });
}

/** An app_state editor putting `p` into x/poc's genesis params. */
export const withSprint = (p: Params) => (s: Record<string, any>) => {
  s.poc.params = pocParamsToJson(p);
};

export const msgAny = (
  codec: { encode(m: any): { finish(): Uint8Array }; fromPartial(m: any): any },
  url: string,
  value: unknown,
): Any => ({
  typeUrl: url,
  // fromPartial fills fields a test leaves out (e.g. `round`) with their proto3 defaults.
  value: codec.encode(codec.fromPartial(value)).finish(),
});

export const update = (participant: string, classes: number[], apiUrl = 'http://127.0.0.1:9100') =>
  msgAny(MsgUpdateParticipant, typeUrl(MsgUpdateParticipant), { participant, apiUrl, classes });

export const commit = (participant: string, epoch: bigint, classId: number, count: bigint) =>
  msgAny(MsgPocCommit, typeUrl(MsgPocCommit), {
    participant,
    epoch,
    classId,
    count,
    root: createHash('sha256').update(`root-${participant}-${count}`).digest(),
  });

/** The validator's real sample signature on (participant, class) for this Sprint. */
export function sampleSig(
  key: TestKey,
  sprint: SprintState,
  participant: string,
  classId: number,
): Uint8Array {
  return key.sign(
    sampleSignBytes({
      chainId: CHAIN_ID,
      epoch: sprint.epoch,
      participant,
      classId,
      validationHash: sprint.validationHash,
      round: 0,
    }),
  );
}

export function votes(
  key: TestKey,
  sprint: SprintState,
  items: { participant: string; classId?: number; verdict?: Verdict; sig?: Uint8Array }[],
): Any {
  return msgAny(MsgPocValidation, typeUrl(MsgPocValidation), {
    validator: key.address,
    epoch: sprint.epoch,
    validations: items.map((v) => ({
      participant: v.participant,
      classId: v.classId ?? 1,
      verdict: v.verdict ?? Verdict.VERDICT_VALID,
      sampleSig: v.sig ?? sampleSig(key, sprint, v.participant, v.classId ?? 1),
    })),
  });
}

/** A real ed25519 consensus key from a seed string. */
export function edKey(seed: string): { seed: Uint8Array; pubkey: Uint8Array } {
  const s = Uint8Array.from(createHash('sha256').update(seed).digest());
  return { seed: s, pubkey: ed25519PublicKey(s) };
}

export function register(
  participant: string,
  key: { seed: Uint8Array; pubkey: Uint8Array },
  classes = [1],
  pop?: Uint8Array,
) {
  return msgAny(MsgRegisterParticipant, typeUrl(MsgRegisterParticipant), {
    participant,
    apiUrl: 'https://api.example:8443/v1',
    consensusPubkey: key.pubkey,
    pop: pop ?? signPop(CHAIN_ID, participant, key.seed),
    classes,
  });
}

/** (codespace, code) of each tx in a block. */
export const codes = (r: ResponseFinalizeBlock) => r.txResults.map((t) => [t.codespace, t.code] as const);

/** Delivers txs in one block and asserts each succeeded; returns the block's response. */
export async function ok(chain: PocChain, txs: Uint8Array[]): Promise<ResponseFinalizeBlock> {
  const r = await chain.block(txs);
  for (const t of r.txResults)
    if (t.code !== 0) throw new Error(`tx failed: ${t.codespace} ${t.code} ${t.log}`);
  return r;
}

export const sprintOf = (chain: PocChain, epoch: bigint) =>
  chain.read((ctx) => chain.poc.sprints.getSprint(ctx, epoch));

export const stageEvents = (r: ResponseFinalizeBlock) =>
  r.events
    .filter((e) => e.type === 'poc_stage')
    .map((e) => Object.fromEntries(e.attributes.map((a) => [a.key, a.value])) as Record<string, string>);
