// The gonka.inference.v1.Query service (REST routes come from google.api.http in query.proto).
import { addressBytes } from '../../app/runtime/address.js';
import type { Context } from '../../app/runtime/context.js';
import { sdkErrors } from '../../app/runtime/errors.js';
import { paginate } from '../../app/runtime/pagination.js';
import type { QueryRouter } from '../../app/runtime/router.js';
import type { Inference } from '../../proto/gen/gonka/inference/v1/inference.js';
import {
  QueryApiKeyRequest,
  QueryApiKeyResponse,
  QueryApiKeysRequest,
  QueryApiKeysResponse,
  QueryExecutorStatsRequest,
  QueryExecutorStatsResponse,
  QueryInferenceRequest,
  QueryInferenceResponse,
  QueryInferencesRequest,
  QueryInferencesResponse,
  QueryModelRequest,
  QueryModelResponse,
  QueryModelsRequest,
  QueryModelsResponse,
  QueryParamsRequest,
  QueryParamsResponse,
} from '../../proto/gen/gonka/inference/v1/query.js';
import type { InferenceKeeper } from './keeper.js';
import { byExecutorPrefix, byRequesterPrefix } from './keys.js';
import { MODEL_ID_RE } from './model.js';
import { INFERENCE_ID_RE } from './msgs.js';

export const INFERENCE_QUERY = '/gonka.inference.v1.Query';

const invalid = (m: string) => sdkErrors.invalidRequest(`rpc error: code = InvalidArgument desc = ${m}`);

function checkAddress(what: string, a: string): Uint8Array {
  if (!a) throw invalid(`empty ${what}`);
  return addressBytes(a);
}

function stateOf(ctx: Context, k: InferenceKeeper, id: string) {
  return (
    k.getModelState(ctx, id) ?? {
      modelId: id,
      price: k.currentPrice(ctx, id).toString(),
      recentTokens: [],
      lastHeight: 0n,
    }
  );
}

export function registerInferenceQueries(queries: QueryRouter, k: InferenceKeeper): void {
  registerModelQueries(queries, k);
  registerInferenceRecordQueries(queries, k);
  registerKeyQueries(queries, k);
}

/** Params, Models, Model. */
function registerModelQueries(queries: QueryRouter, k: InferenceKeeper): void {
  queries.register({
    path: `${INFERENCE_QUERY}/Params`,
    request: QueryParamsRequest,
    response: QueryParamsResponse,
    handle: (ctx) => ({ params: k.getParams(ctx) }),
  });
  queries.register({
    path: `${INFERENCE_QUERY}/Models`,
    request: QueryModelsRequest,
    response: QueryModelsResponse,
    handle(ctx, r) {
      const { items, pagination } = paginate(r.pagination, (start) => k.iterateModels(ctx, start));
      return { models: items.map((model) => ({ model, state: stateOf(ctx, k, model.id) })), pagination };
    },
  });
  queries.register({
    path: `${INFERENCE_QUERY}/Model`,
    request: QueryModelRequest,
    response: QueryModelResponse,
    handle(ctx, r) {
      if (!MODEL_ID_RE.test(r.modelId)) throw invalid('malformed model_id');
      const model = k.getModel(ctx, r.modelId);
      if (!model) throw sdkErrors.notFound(`model '${r.modelId}'`);
      return { model, state: stateOf(ctx, k, model.id) };
    },
  });
}

/** Inference, Inferences, ExecutorStats. */
function registerInferenceRecordQueries(queries: QueryRouter, k: InferenceKeeper): void {
  queries.register({
    path: `${INFERENCE_QUERY}/Inference`,
    request: QueryInferenceRequest,
    response: QueryInferenceResponse,
    handle(ctx, r) {
      if (!INFERENCE_ID_RE.test(r.id)) throw invalid('malformed inference id');
      const inference = k.getInference(ctx, r.id);
      if (!inference) throw sdkErrors.notFound(`inference '${r.id}'`);
      return { inference };
    },
  });
  queries.register({
    path: `${INFERENCE_QUERY}/Inferences`,
    request: QueryInferencesRequest,
    response: QueryInferencesResponse,
    handle(ctx, r) {
      if (r.requestedBy && r.executor) throw invalid('give requested_by or executor, not both');
      let iterate: (start?: Uint8Array) => Iterable<[Uint8Array, Inference]>;
      if (r.requestedBy) {
        const prefix = byRequesterPrefix(checkAddress('requested_by', r.requestedBy));
        iterate = (start) => k.iteratePartyIndex(ctx, prefix, start);
      } else if (r.executor) {
        const prefix = byExecutorPrefix(checkAddress('executor', r.executor));
        iterate = (start) => k.iteratePartyIndex(ctx, prefix, start);
      } else
        iterate = function* (start) {
          for (const [key, id] of k.iterateOpen(ctx, start)) {
            const inf = k.getInference(ctx, id);
            if (inf) yield [key, inf];
          }
        };
      const { items, pagination } = paginate(r.pagination, iterate);
      return { inferences: items, pagination };
    },
  });
  queries.register({
    path: `${INFERENCE_QUERY}/ExecutorStats`,
    request: QueryExecutorStatsRequest,
    response: QueryExecutorStatsResponse,
    handle(ctx, r) {
      checkAddress('executor', r.executor);
      return { stats: k.getExecutorStats(ctx, r.executor) };
    },
  });
}

/** ApiKey, ApiKeys. */
function registerKeyQueries(queries: QueryRouter, k: InferenceKeeper): void {
  queries.register({
    path: `${INFERENCE_QUERY}/ApiKey`,
    request: QueryApiKeyRequest,
    response: QueryApiKeyResponse,
    handle(ctx, r) {
      if (!/^[0-9a-fA-F]{64}$/.test(r.keyHash)) throw invalid('key_hash must be 64 hex digits');
      const key = k.getApiKey(ctx, Buffer.from(r.keyHash, 'hex'));
      if (!key) throw sdkErrors.notFound(`api key ${r.keyHash.toLowerCase()}`);
      return { key };
    },
  });
  queries.register({
    path: `${INFERENCE_QUERY}/ApiKeys`,
    request: QueryApiKeysRequest,
    response: QueryApiKeysResponse,
    handle(ctx, r) {
      if (r.owner) checkAddress('owner', r.owner);
      const { items, pagination } = paginate(r.pagination, (start) =>
        r.owner ? k.iterateApiKeysOf(ctx, r.owner, start) : k.iterateApiKeys(ctx, start),
      );
      return { keys: items, pagination };
    },
  });
}
