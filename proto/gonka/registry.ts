// Our generated message codecs (proto/gen, from proto/gonka by `npm run proto:gen`) as CosmJS
// Registry entries, and their type URLs. A new tx.proto under proto/gonka is added to TX_FILES
// (test/unit/proto-codegen.test.ts fails until it is).
import type { GeneratedType } from '@cosmjs/proto-signing';
import * as authTx from '../gen/gonka/auth/v1/tx.js';
import * as collateralTx from '../gen/gonka/collateral/v1/tx.js';
import * as governanceTx from '../gen/gonka/governance/v1/tx.js';
import * as inferenceTx from '../gen/gonka/inference/v1/tx.js';
import * as pocTx from '../gen/gonka/poc/v1/tx.js';

/** `/<full name>`, the type URL of a generated message (ts-proto's `$type`). */
export function typeUrl(codec: { readonly $type: string }): string {
  return `/${codec.$type}`;
}

/** Generated modules of every gonka tx.proto, by .proto path. */
export const TX_FILES: Record<string, Record<string, unknown>> = {
  'gonka/auth/v1/tx.proto': authTx,
  'gonka/collateral/v1/tx.proto': collateralTx,
  'gonka/governance/v1/tx.proto': governanceTx,
  'gonka/inference/v1/tx.proto': inferenceTx,
  'gonka/poc/v1/tx.proto': pocTx,
};

type Codec = GeneratedType & { $type: string };
const isCodec = (v: unknown): v is Codec =>
  typeof v === 'object' && v !== null && typeof (v as { $type?: unknown }).$type === 'string';

/** Every gonka Msg (not its response), for `new Registry([...defaultRegistryTypes, ...gonkaRegistryTypes])`. */
export const gonkaRegistryTypes: [string, GeneratedType][] = Object.values(TX_FILES)
  .flatMap((m) => Object.values(m).filter(isCodec))
  .filter((c) => /\.Msg\w+$/.test(c.$type) && !c.$type.endsWith('Response'))
  .map((c): [string, GeneratedType] => [typeUrl(c), c])
  .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
