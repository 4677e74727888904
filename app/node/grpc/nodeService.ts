// cosmos.base.node.v1beta1.Service: Config (the minimum gas price wallets should offer) and Status
// (the latest committed block as this node knows it). The minimum gas price is a consensus
// parameter here (x/auth), so Config reads it from committed state rather than a local setting.
import { ConfigResponse, StatusResponse } from 'cosmjs-types/cosmos/base/node/v1beta1/query';
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
  return h;
}
