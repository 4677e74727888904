// cosmos.base.node.v1beta1.Service: Config (the minimum gas price wallets should offer) and Status
// (the latest committed block as this node knows it). The minimum gas price is a consensus
// parameter here (x/auth), so Config reads it from committed state rather than a local setting.
import { ConfigResponse, StatusResponse } from 'cosmjs-types/cosmos/base/node/v1beta1/query';
import { QueryParamsResponse as ConsensusParamsResponse } from 'cosmjs-types/cosmos/consensus/v1/query';
import { RequestQuery } from 'cosmjs-types/tendermint/abci/types';
import { QueryParamsResponse } from '../../../proto/gen/gonka/auth/v1/query.js';
import { FEE_DENOM } from '../../../x/auth/params.js';
import type { BaseApp } from '../../runtime/baseApp.js';
import { type CometRpcClient, parseTime } from './comet.js';

type Handler = (req: Uint8Array) => Promise<Uint8Array>;

const SERVICE = '/cosmos.base.node.v1beta1.Service';

export function nodeServiceHandlers(app: BaseApp, rpc: CometRpcClient): Map<string, Handler> {
  const h = new Map<string, Handler>();
  h.set(`${SERVICE}/Config`, async () => {
    const r = app.query(
      RequestQuery.fromPartial({ path: '/gonka.auth.v1.Query/Params', data: new Uint8Array() }),
    );
    const price = r.code === 0 ? (QueryParamsResponse.decode(r.value).params?.minGasPrice ?? '') : '';
    return ConfigResponse.encode(
      ConfigResponse.fromPartial({ minimumGasPrice: price ? `${price}${FEE_DENOM}` : '' }),
    ).finish();
  });
  h.set(`${SERVICE}/Status`, async () => {
    const s = await rpc.call('status');
    const info = s.sync_info ?? {};
    const height = BigInt(String(info.latest_block_height ?? '0'));
    let validatorHash = new Uint8Array();
    if (height > 0n) {
      const header = await rpc.call('header', { height: height.toString() });
      validatorHash = Buffer.from(String(header?.header?.validators_hash ?? ''), 'hex');
    }
    return StatusResponse.encode(
      StatusResponse.fromPartial({
        earliestStoreHeight: BigInt(String(info.earliest_block_height ?? '0')),
        height,
        timestamp: info.latest_block_time ? parseTime(String(info.latest_block_time)) : undefined,
        appHash: Buffer.from(String(info.latest_app_hash ?? ''), 'hex'),
        validatorHash,
      }),
    ).finish();
  });
  // cosmos.consensus.v1.Query/Params: CometBFT's consensus params as it reports them (wallets
  // such as cosmpy read block.max_gas to cap their gas estimates).
  h.set('/cosmos.consensus.v1.Query/Params', async () => {
    const p = await rpc.call('consensus_params');
    const c = p?.consensus_params ?? {};
    const int = (v: unknown) => BigInt(/^-?\d{1,19}$/.test(String(v ?? '')) ? String(v) : '0');
    return ConsensusParamsResponse.encode(
      ConsensusParamsResponse.fromPartial({
        params: {
          block: { maxBytes: int(c.block?.max_bytes), maxGas: int(c.block?.max_gas) },
          evidence: {
            maxAgeNumBlocks: int(c.evidence?.max_age_num_blocks),
            maxAgeDuration: durationOf(String(c.evidence?.max_age_duration ?? '0')),
            maxBytes: int(c.evidence?.max_bytes),
          },
          validator: { pubKeyTypes: (c.validator?.pub_key_types ?? []).map(String) },
          abci: { voteExtensionsEnableHeight: int(c.abci?.vote_extensions_enable_height) },
        },
      }),
    ).finish();
  });
  return h;
}

/** CometBFT writes a duration as integer nanoseconds. */
function durationOf(ns: string): { seconds: bigint; nanos: number } {
  const n = /^\d{1,30}$/.test(ns) ? BigInt(ns) : 0n;
  return { seconds: n / 1_000_000_000n, nanos: Number(n % 1_000_000_000n) };
}
