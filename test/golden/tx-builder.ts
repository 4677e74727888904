// Cosmos txs for the golden recorder, including deliberately malformed ones: several signers,
// any fee (coins as given, unsorted too), fee payer/granter, sign mode, extension options,
// wrong chain id or account number, extra or foreign signatures. Keys are throwaway test keys
// derived from fixed seeds at run time (test/integration/tx-harness TestKey).
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { AuthInfo, SignDoc, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { TestKey } from '../integration/tx-harness.js';

export interface SignerSpec {
  key: TestKey;
  sequence: bigint;
  accountNumber: bigint;
  /** Key that actually signs (default: key). */
  signWith?: TestKey;
  /** Pubkey announced in signer info (default: key's). */
  announce?: TestKey | 'none';
  mode?: SignMode;
}

export interface BuildOptions {
  msgs: Any[];
  signers: SignerSpec[];
  gas: bigint;
  /** Fee coins, in the order given (default gas/10 ngonka, the minimum gas price). */
  fee?: { denom: string; amount: string }[];
  memo?: string;
  timeoutHeight?: bigint;
  chainId: string;
  payer?: string;
  granter?: string;
  extensionOptions?: Any[];
  nonCriticalExtensionOptions?: Any[];
  unordered?: boolean;
  /** Appended signatures beyond one per signer. */
  extraSignatures?: Uint8Array[];
}

export function buildTx(o: BuildOptions): Uint8Array {
  const bodyBytes = TxBody.encode(
    TxBody.fromPartial({
      messages: o.msgs,
      memo: o.memo ?? '',
      timeoutHeight: o.timeoutHeight ?? 0n,
      extensionOptions: o.extensionOptions ?? [],
      nonCriticalExtensionOptions: o.nonCriticalExtensionOptions ?? [],
      unordered: o.unordered ?? false,
    }),
  ).finish();
  const fee = o.fee ?? [{ denom: 'ngonka', amount: ((o.gas + 9n) / 10n).toString() }];
  const authInfoBytes = AuthInfo.encode(
    AuthInfo.fromPartial({
      signerInfos: o.signers.map((s) => ({
        publicKey: s.announce === 'none' ? undefined : (s.announce ?? s.key).pubKeyAny(),
        modeInfo: { single: { mode: s.mode ?? SignMode.SIGN_MODE_DIRECT } },
        sequence: s.sequence,
      })),
      fee: { amount: fee, gasLimit: o.gas, payer: o.payer ?? '', granter: o.granter ?? '' },
    }),
  ).finish();
  const signatures = o.signers.map((s) =>
    (s.signWith ?? s.key).sign(
      SignDoc.encode({
        bodyBytes,
        authInfoBytes,
        chainId: o.chainId,
        accountNumber: s.accountNumber,
      }).finish(),
    ),
  );
  return TxRaw.encode({
    bodyBytes,
    authInfoBytes,
    signatures: [...signatures, ...(o.extraSignatures ?? [])],
  }).finish();
}
