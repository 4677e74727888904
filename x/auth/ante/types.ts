// What the Cosmos ante steps share: the decoded tx and, as the chain runs, what earlier steps
// found (the signers' accounts and keys, the signatures verified).
import type { AuthInfo, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import type { DecodedTx } from '../../../app/runtime/tx.js';
import type { Account } from '../keeper.js';
import type { AuthParams } from '../params.js';

export interface CosmosTx extends DecodedTx {
  raw: TxRaw;
  body: TxBody;
  authInfo: AuthInfo;
  /** Required signers (bech32), de-duplicated, in message order. */
  signers: string[];
  /** SHA-256 of the tx bytes (CometBFT's tx hash). */
  hash: Uint8Array;
}

/** One run of the ante chain over one tx. */
export interface AnteRun {
  readonly tx: CosmosTx;
  /** The tx bytes as received (what tx-size gas is charged on). */
  readonly txBytes: Uint8Array;
  /** x/auth params, read once without gas: configuration, not tx work. */
  readonly params: AuthParams;
  /** Set by the pubkey step: the signers' accounts and secp256k1 keys, in signer order. */
  accounts: Account[];
  pubKeys: Uint8Array[];
  /** Set by the signature step: signature-cache keys this run verified or found cached. */
  verified: string[];
}

export function newAnteRun(tx: CosmosTx, txBytes: Uint8Array, params: AuthParams): AnteRun {
  return { tx, txBytes, params, accounts: [], pubKeys: [], verified: [] };
}
