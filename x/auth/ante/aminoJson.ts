// SIGN_MODE_LEGACY_AMINO_JSON: the bytes a Ledger or Keplr Amino signer signed, rebuilt from the
// protobuf tx. The StdSignDoc is the SDK's (and CosmJS makeSignDoc's):
//   {account_number, chain_id, fee: {amount, gas[, granter][, payer]}, memo, msgs,
//    sequence[, timeout_height]}
// with every message in its Amino JSON form (proto/gonka/amino.ts), keys sorted, no whitespace.
// Amino JSON cannot express extension options or a tip, so a tx carrying them is refused in this
// mode (as the SDK does) instead of leaving them unsigned.
import { sdkErrors } from '../../../app/runtime/errors.js';
import { aminoAnyCodec, aminoEntry, canonicalAminoJson } from '../../../proto/gonka/amino.js';
import type { CosmosTx } from './types.js';

export function legacyAminoSignBytes(
  tx: CosmosTx,
  chainId: string,
  accountNumber: bigint,
  sequence: bigint,
): Uint8Array {
  const { body, authInfo } = tx;
  if (body.extensionOptions.length > 0 || body.nonCriticalExtensionOptions.length > 0)
    throw sdkErrors.invalidRequest('SIGN_MODE_LEGACY_AMINO_JSON does not support protobuf extension options');
  if (authInfo.tip) throw sdkErrors.invalidRequest('SIGN_MODE_LEGACY_AMINO_JSON does not support tips');
  const fee = authInfo.fee!;
  const msgs = body.messages.map((any) => {
    if (!aminoEntry(any.typeUrl))
      throw sdkErrors.invalidRequest(`${any.typeUrl} has no amino JSON form; sign it in SIGN_MODE_DIRECT`);
    try {
      return aminoAnyCodec.toAmino(any);
    } catch (e) {
      throw sdkErrors.invalidRequest(`amino JSON of ${any.typeUrl}: ${e instanceof Error ? e.message : e}`);
    }
  });
  const doc: Record<string, unknown> = {
    account_number: accountNumber.toString(),
    chain_id: chainId,
    fee: {
      amount: fee.amount.map((c) => ({ denom: c.denom, amount: c.amount })),
      gas: fee.gasLimit.toString(),
      ...(fee.granter ? { granter: fee.granter } : {}),
      ...(fee.payer ? { payer: fee.payer } : {}),
    },
    memo: body.memo,
    msgs,
    sequence: sequence.toString(),
  };
  if (body.timeoutHeight > 0n) doc.timeout_height = body.timeoutHeight.toString();
  return canonicalAminoJson(doc);
}
