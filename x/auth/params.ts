// x/auth parameters: the SDK's auth Params (memo, signature limit, gas costs) plus the chain-wide
// minimum gas price, a consensus parameter here (not a validator-local setting) so CheckTx and
// FinalizeBlock agree on which fees are enough.
import { Params } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { formatDec, parseDec } from '../../app/runtime/decimal.js';
import type { Params as AuthParamsProto } from '../../proto/gen/gonka/auth/v1/params.js';
import { authErrors } from './errors.js';

export const FEE_DENOM = 'ngonka';

export interface AuthParams {
  maxMemoCharacters: bigint;
  txSigLimit: bigint;
  txSizeCostPerByte: bigint;
  sigVerifyCostEd25519: bigint;
  sigVerifyCostSecp256k1: bigint;
  /** ngonka per unit of gas, 18-digit fixed point (atto-units). */
  minGasPrice: bigint;
  /** Largest tx accepted, in bytes. */
  maxTxBytes: bigint;
}

export const defaultAuthParams = (): AuthParams => ({
  maxMemoCharacters: 256n,
  txSigLimit: 7n,
  txSizeCostPerByte: 10n,
  sigVerifyCostEd25519: 590n,
  sigVerifyCostSecp256k1: 1000n,
  minGasPrice: parseDec('0.1'),
  maxTxBytes: 1_048_576n,
});

/** The JSON shape in genesis (SDK field names, numbers as strings). */
export interface AuthParamsJson {
  max_memo_characters?: string;
  tx_sig_limit?: string;
  tx_size_cost_per_byte?: string;
  sig_verify_cost_ed25519?: string;
  sig_verify_cost_secp256k1?: string;
  min_gas_price?: string;
  max_tx_bytes?: string;
}

export function sdkParams(p: AuthParams): Params {
  return Params.fromPartial({
    maxMemoCharacters: p.maxMemoCharacters,
    txSigLimit: p.txSigLimit,
    txSizeCostPerByte: p.txSizeCostPerByte,
    sigVerifyCostEd25519: p.sigVerifyCostEd25519,
    sigVerifyCostSecp256k1: p.sigVerifyCostSecp256k1,
  });
}

export function validateAuthParams(p: AuthParams): void {
  for (const [k, v] of Object.entries(p))
    if (typeof v !== 'bigint' || v < 0n) throw new Error(`auth param ${k} must be a non-negative integer`);
  if (p.txSigLimit === 0n) throw new Error('tx_sig_limit must be positive');
  if (p.maxTxBytes === 0n) throw new Error('max_tx_bytes must be positive');
}

/** Longest min_gas_price string accepted: 20 integer digits, the point and 18 fractional ones. */
export const MAX_MIN_GAS_PRICE_CHARS = 39;

/** The stored / MsgUpdateParams form (gonka.auth.v1.Params); min_gas_price in its shortest decimal form. */
export function authParamsToProto(p: AuthParams): AuthParamsProto {
  return {
    maxMemoCharacters: p.maxMemoCharacters,
    txSigLimit: p.txSigLimit,
    txSizeCostPerByte: p.txSizeCostPerByte,
    sigVerifyCostEd25519: p.sigVerifyCostEd25519,
    sigVerifyCostSecp256k1: p.sigVerifyCostSecp256k1,
    minGasPrice: formatDec(p.minGasPrice),
    maxTxBytes: p.maxTxBytes,
  };
}

/** Params from gonka.auth.v1.Params, validated as genesis params are; throws authErrors.invalidParams. */
export function authParamsFromProto(m: AuthParamsProto | undefined): AuthParams {
  if (!m) throw authErrors.invalidParams('params must be set');
  if (m.minGasPrice.length > MAX_MIN_GAS_PRICE_CHARS)
    throw authErrors.invalidParams(`min_gas_price is longer than ${MAX_MIN_GAS_PRICE_CHARS} characters`);
  try {
    const p: AuthParams = {
      maxMemoCharacters: m.maxMemoCharacters,
      txSigLimit: m.txSigLimit,
      txSizeCostPerByte: m.txSizeCostPerByte,
      sigVerifyCostEd25519: m.sigVerifyCostEd25519,
      sigVerifyCostSecp256k1: m.sigVerifyCostSecp256k1,
      minGasPrice: parseDec(m.minGasPrice),
      maxTxBytes: m.maxTxBytes,
    };
    validateAuthParams(p);
    return p;
  } catch (e) {
    throw authErrors.invalidParams(e instanceof Error ? e.message : String(e));
  }
}
