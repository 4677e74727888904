// x/poc genesis: params, the epoch clock, participants (weights this epoch), scheduled next
// weights and the CometBFT powers last sent. A fresh genesis lists participants only; InitChain
// then returns their weights as the initial validator set, which replaces CometBFT's genesis
// validators (so the two must describe the same keys; `gonkad init` and the testnet write both).

import { addressBytes } from '../../app/runtime/address.js';
import type { Context } from '../../app/runtime/context.js';
import {
  type ConfirmationGenesis,
  exportConfirmationGenesis,
  initConfirmationGenesis,
} from './confirmationGenesis.js';
import { pocErrors } from './errors.js';
import { MAX_WEIGHT, type PocKeeper } from './keeper.js';
import { validateApiUrl, validateClassList } from './msgs.js';
import { pocParamsFromJson, pocParamsToJson } from './params.js';
import { exportSprintGenesis, initSprintGenesis, type SprintGenesis } from './sprintGenesis.js';

export interface ParticipantJson {
  address: string;
  /** base64 of the 32-byte ed25519 consensus key (CometBFT's priv_validator_key.json pub_key.value) */
  consensus_pubkey: string;
  weight: string;
  /** Set by MsgRegisterParticipant / MsgUpdateParticipant; written only when set. */
  api_url?: string;
  classes?: number[];
}

export interface PocGenesis extends SprintGenesis, ConfirmationGenesis {
  params: { epoch_length: string } & Record<string, unknown>;
  epoch?: { epoch: string; start_height: string; next_start_height: string };
  participants: ParticipantJson[];
  next_weights?: { address: string; weight: string }[];
  validator_powers?: { address: string; power: string }[];
}

export function defaultPocGenesis(): PocGenesis {
  return { params: pocParamsToJson(pocParamsFromJson(undefined)), participants: [] };
}

const uint = (what: string, v: unknown): bigint => {
  if (typeof v !== 'string' || !/^\d{1,19}$/.test(v))
    throw pocErrors.invalidGenesis(`${what} must be an unsigned integer string, got ${JSON.stringify(v)}`);
  return BigInt(v);
};

function decodeKey(what: string, b64: unknown): Uint8Array {
  if (typeof b64 !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64))
    throw pocErrors.invalidGenesis(`${what}: consensus_pubkey must be base64`);
  return Uint8Array.from(Buffer.from(b64, 'base64'));
}

export function initPocGenesis(ctx: Context, keeper: PocKeeper, raw: unknown): void {
  const g = (raw ?? defaultPocGenesis()) as Partial<PocGenesis>;
  const params = pocParamsFromJson(g.params);
  keeper.setParams(ctx, params);
  if (g.epoch) {
    keeper.setEpochState(ctx, {
      epoch: uint('epoch.epoch', g.epoch.epoch),
      startHeight: uint('epoch.start_height', g.epoch.start_height),
      nextStartHeight: uint('epoch.next_start_height', g.epoch.next_start_height),
    });
  } else keeper.setEpochState(ctx, keeper.epochState(ctx));

  const list = g.participants ?? [];
  if (!Array.isArray(list)) throw pocErrors.invalidGenesis('participants must be a list');
  const keys = new Set<string>();
  for (const j of list) {
    const where = `participant ${String(j?.address)}`;
    addressBytes(j.address);
    if (keeper.getParticipant(ctx, j.address)) throw pocErrors.invalidGenesis(`${where} listed twice`);
    const consensusPubkey = decodeKey(where, j.consensus_pubkey);
    const k = Buffer.from(consensusPubkey).toString('hex');
    if (keys.has(k)) throw pocErrors.invalidGenesis(`${where}: consensus_pubkey used by another participant`);
    keys.add(k);
    keeper.setParticipant(ctx, {
      address: j.address,
      consensusPubkey,
      weight: uint(`${where} weight`, j.weight),
      apiUrl: participantApiUrl(where, j.api_url),
      classes: participantClasses(where, j.classes),
    });
  }
  for (const n of g.next_weights ?? [])
    keeper.setNextWeight(ctx, n.address, uint(`next weight of ${n.address}`, n.weight));

  initSprintGenesis(ctx, keeper, g);
  initConfirmationGenesis(ctx, keeper, g);

  // The initial validator set: the exported powers when importing, otherwise every weight.
  const target = new Map<string, bigint>();
  if (g.validator_powers) {
    for (const v of g.validator_powers) {
      if (!keeper.getParticipant(ctx, v.address))
        throw pocErrors.invalidGenesis(`validator power for unknown participant ${v.address}`);
      const power = uint(`power of ${v.address}`, v.power);
      if (power === 0n || power > MAX_WEIGHT)
        throw pocErrors.invalidGenesis(`power of ${v.address} must be in [1, ${MAX_WEIGHT}]`);
      target.set(v.address, power);
    }
  } else for (const p of keeper.iterateParticipants(ctx)) target.set(p.address, p.weight);
  let total = 0n;
  for (const w of target.values()) total += w;
  if (list.length > 0 && total === 0n)
    throw pocErrors.invalidGenesis('participants have no weight: CometBFT needs at least one validator');
  if (total > MAX_WEIGHT) throw pocErrors.invalidGenesis(`total weight ${total} exceeds ${MAX_WEIGHT}`);
  keeper.emitValidatorUpdates(ctx, target);
}

export function exportPocGenesis(ctx: Context, keeper: PocKeeper): PocGenesis {
  const s = keeper.epochState(ctx);
  return {
    params: pocParamsToJson(keeper.getParams(ctx)),
    epoch: {
      epoch: s.epoch.toString(),
      start_height: s.startHeight.toString(),
      next_start_height: s.nextStartHeight.toString(),
    },
    participants: keeper.participants(ctx).map((p) => ({
      address: p.address,
      consensus_pubkey: Buffer.from(p.consensusPubkey).toString('base64'),
      weight: p.weight.toString(),
      ...(p.apiUrl !== '' ? { api_url: p.apiUrl } : {}),
      ...(p.classes.length > 0 ? { classes: [...p.classes] } : {}),
    })),
    next_weights: keeper.nextWeights(ctx).map((n) => ({ address: n.address, weight: n.weight.toString() })),
    validator_powers: keeper.powers(ctx).map((v) => ({ address: v.address, power: v.power.toString() })),
    ...exportSprintGenesis(ctx, keeper),
    ...exportConfirmationGenesis(ctx, keeper),
  };
}

function participantApiUrl(where: string, v: unknown): string {
  if (v === undefined || v === '') return '';
  if (typeof v !== 'string') throw pocErrors.invalidGenesis(`${where}: api_url must be a string`);
  try {
    validateApiUrl(v);
  } catch (e) {
    throw pocErrors.invalidGenesis(`${where}: ${(e as Error).message}`);
  }
  return v;
}

function participantClasses(where: string, v: unknown): number[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((c) => Number.isInteger(c) && c >= 0 && c <= 0xffffffff))
    throw pocErrors.invalidGenesis(`${where}: classes must be a list of u32`);
  try {
    validateClassList(v);
  } catch (e) {
    throw pocErrors.invalidGenesis(`${where}: ${(e as Error).message}`);
  }
  return v as number[];
}
