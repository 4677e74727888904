// What the inference routes read from the chain: x/inference models, params and API keys,
// x/poc participants and the current epoch, x/bank balances. One interface so tests can put a
// chain (in process or fake) behind it; RpcInferenceView reads a real node over ABCI queries.
// Nothing is cached here (BlockCachedView caches the per-block reads; API keys stay live).
import { QueryBalanceRequest, QueryBalanceResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import type { ApiKey, Model, ModelState, Params } from '../../../proto/gen/gonka/inference/v1/inference.js';
import {
  QueryApiKeyRequest,
  QueryApiKeyResponse,
  QueryModelRequest,
  QueryModelResponse,
  QueryModelsRequest,
  QueryModelsResponse,
  QueryParamsRequest,
  QueryParamsResponse,
} from '../../../proto/gen/gonka/inference/v1/query.js';
import type { Participant } from '../../../proto/gen/gonka/poc/v1/poc.js';
import {
  QueryParticipantsRequest,
  QueryParticipantsResponse,
  QueryStageRequest,
  QueryStageResponse,
} from '../../../proto/gen/gonka/poc/v1/query.js';
import type { ProtoCodec } from '../../runtime/router.js';
import { allPages, ChainError } from '../chain.js';

export interface ModelEntry {
  model: Model;
  state: ModelState | undefined;
}

export interface InferenceView {
  params(): Promise<Params>;
  models(): Promise<ModelEntry[]>;
  model(id: string): Promise<ModelEntry | undefined>;
  apiKey(keyHash: Uint8Array): Promise<ApiKey | undefined>;
  participants(): Promise<Participant[]>;
  epoch(): Promise<bigint>;
  balance(address: string, denom: string): Promise<bigint>;
}

export interface AbciQuerier {
  query<Req, Res>(path: string, req: ProtoCodec<Req>, res: ProtoCodec<Res>, value: Req): Promise<Res>;
}

const MAX_PAGES = 100;
const notFound = (e: unknown) => e instanceof ChainError && /not found/i.test(e.log);

export class RpcInferenceView implements InferenceView {
  constructor(private readonly q: AbciQuerier) {}

  async params(): Promise<Params> {
    const r = await this.q.query(
      '/gonka.inference.v1.Query/Params',
      QueryParamsRequest,
      QueryParamsResponse,
      {},
    );
    if (!r.params) throw new Error('x/inference params query answered no params');
    return r.params;
  }

  async models(): Promise<ModelEntry[]> {
    return allPages(MAX_PAGES, async (key) => {
      const r = await this.q.query(
        '/gonka.inference.v1.Query/Models',
        QueryModelsRequest,
        QueryModelsResponse,
        QueryModelsRequest.fromPartial({ pagination: { key, limit: 200n } }),
      );
      const items: ModelEntry[] = [];
      for (const m of r.models) if (m.model) items.push({ model: m.model, state: m.state });
      return { items, nextKey: r.pagination?.nextKey };
    });
  }

  async model(id: string): Promise<ModelEntry | undefined> {
    try {
      const r = await this.q.query('/gonka.inference.v1.Query/Model', QueryModelRequest, QueryModelResponse, {
        modelId: id,
      });
      return r.model ? { model: r.model, state: r.state } : undefined;
    } catch (e) {
      if (notFound(e)) return undefined;
      throw e;
    }
  }

  async apiKey(keyHash: Uint8Array): Promise<ApiKey | undefined> {
    try {
      const r = await this.q.query(
        '/gonka.inference.v1.Query/ApiKey',
        QueryApiKeyRequest,
        QueryApiKeyResponse,
        {
          keyHash: Buffer.from(keyHash).toString('hex'),
        },
      );
      return r.key;
    } catch (e) {
      if (notFound(e)) return undefined;
      throw e;
    }
  }

  async participants(): Promise<Participant[]> {
    return allPages(MAX_PAGES, async (key) => {
      const r = await this.q.query(
        '/gonka.poc.v1.Query/Participants',
        QueryParticipantsRequest,
        QueryParticipantsResponse,
        QueryParticipantsRequest.fromPartial({ pagination: { key, limit: 500n } }),
      );
      return { items: r.participants, nextKey: r.pagination?.nextKey };
    });
  }

  async epoch(): Promise<bigint> {
    const r = await this.q.query('/gonka.poc.v1.Query/Stage', QueryStageRequest, QueryStageResponse, {});
    return r.epoch;
  }

  async balance(address: string, denom: string): Promise<bigint> {
    const r = await this.q.query(
      '/cosmos.bank.v1beta1.Query/Balance',
      QueryBalanceRequest,
      QueryBalanceResponse,
      QueryBalanceRequest.fromPartial({ address, denom }),
    );
    return BigInt(r.balance?.amount ?? '0');
  }
}
