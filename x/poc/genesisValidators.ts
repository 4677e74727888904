// Genesis wiring shared by `gonkad init`, the devnet and the testnet launcher: one list of
// (consensus key, operator, weight) written both as CometBFT's genesis validators (power = weight)
// and as x/poc participants, so the set x/poc returns from InitChain is the one CometBFT expects.
import { createHash } from 'node:crypto';
import { addressString } from '../../app/runtime/address.js';
import { defaultPocGenesis, type PocGenesis } from './genesis.js';
import { pocParamsToJson, type SprintProfile, sprintParams, validatePocParams } from './params.js';

/** CometBFT's default power for `cometbft init`; a single-node home's genesis weight. */
export const DEFAULT_GENESIS_WEIGHT = 10n;

export interface GenesisValidatorSpec {
  /** base64 of the 32-byte ed25519 key (priv_validator_key.json `pub_key.value`) */
  pubKeyBase64: string;
  /** bech32 gonka address operating this validator */
  operator: string;
  weight: bigint;
  name?: string;
}

/** CometBFT's validator address: upper-case hex of SHA-256(pubkey)[:20]. */
export function cometValidatorAddress(pubKeyBase64: string): string {
  return createHash('sha256')
    .update(Buffer.from(pubKeyBase64, 'base64'))
    .digest()
    .subarray(0, 20)
    .toString('hex')
    .toUpperCase();
}

/**
 * The operator used when none is given (`gonkad init` without a key): the validator's own 20-byte
 * address in bech32. Nobody holds an account key for it, so it can take part but not sign.
 */
export function defaultOperator(pubKeyBase64: string): string {
  return addressString(Buffer.from(cometValidatorAddress(pubKeyBase64), 'hex'));
}

interface GenesisDoc {
  validators?: unknown[];
  app_state?: Record<string, unknown>;
}

export function setGenesisValidators(genesis: GenesisDoc, specs: GenesisValidatorSpec[]): void {
  if (specs.length === 0) throw new Error('a genesis needs at least one validator');
  for (const s of specs)
    if (s.weight <= 0n)
      throw new Error(`validator ${s.name ?? s.operator}: weight must be positive, got ${s.weight}`);
  genesis.validators = specs.map((s, i) => ({
    address: cometValidatorAddress(s.pubKeyBase64),
    pub_key: { type: 'tendermint/PubKeyEd25519', value: s.pubKeyBase64 },
    power: s.weight.toString(),
    name: s.name ?? `validator-${i}`,
  }));
  genesis.app_state ??= {};
  genesis.app_state.poc ??= defaultPocGenesis();
  const poc = genesis.app_state.poc as PocGenesis;
  poc.participants = specs.map((s) => ({
    address: s.operator,
    consensus_pubkey: s.pubKeyBase64,
    weight: s.weight.toString(),
  }));
}

/**
 * Turns the Sprint on in a genesis with a profile's params (x/poc/params.ts `sprintParams`):
 * `devnet` for `npm start`, `fast` for test networks. Opt-in, so existing genesis files and the
 * golden vectors keep the Sprint off. Throws when the stages do not fit the epoch.
 */
export function setSprintParams(genesis: GenesisDoc, profile: SprintProfile, epochLength?: bigint): void {
  const p = sprintParams(profile);
  if (epochLength !== undefined) p.epochLength = epochLength;
  validatePocParams(p);
  genesis.app_state ??= {};
  genesis.app_state.poc ??= defaultPocGenesis();
  (genesis.app_state.poc as PocGenesis).params = pocParamsToJson(p);
}
