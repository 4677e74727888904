// gonkad query poc epoch|participants|params: x/poc's epoch clock and participants (weights) via
// ABCI queries over a node's CometBFT RPC.
import type { Command } from 'commander';
import { PageRequest } from 'cosmjs-types/cosmos/base/query/v1beta1/pagination';
import {
  QueryEpochRequest,
  QueryEpochResponse,
  QueryParamsRequest,
  QueryParamsResponse,
  QueryParticipantsRequest,
  QueryParticipantsResponse,
} from '../../../proto/gen/gonka/poc/v1/query.js';
import { abciQuery, group, json, nodeOption } from '../chainClient.js';

const path = (m: string) => `/gonka.poc.v1.Query/${m}`;

export function register(program: Command): void {
  const q = group(program, 'query', 'query chain state').command('poc').description('x/poc queries');
  q.command('epoch')
    .description('current epoch index, its start height, the next start height and epoch_length')
    .option(...nodeOption)
    .action(async (o: { node: string }) => {
      process.stdout.write(
        json(await abciQuery(o.node, path('Epoch'), QueryEpochRequest, QueryEpochResponse, {})),
      );
    });
  q.command('participants')
    .description('participants with consensus key (base64) and weight, and the total weight')
    .option(...nodeOption)
    .action(async (o: { node: string }) => {
      // Every page (1,000 a page; the participant set is bounded by the validator set).
      const participants: QueryParticipantsResponse['participants'] = [];
      let totalWeight = 0n;
      let key: Uint8Array = new Uint8Array(0);
      for (let pages = 0; pages < 1000; pages++) {
        const r = await abciQuery(
          o.node,
          path('Participants'),
          QueryParticipantsRequest,
          QueryParticipantsResponse,
          {
            pagination: PageRequest.fromPartial({ key, limit: 1000n }),
          },
        );
        participants.push(...r.participants);
        totalWeight = r.totalWeight;
        key = r.pagination?.nextKey ?? new Uint8Array(0);
        if (key.length === 0) break;
      }
      process.stdout.write(json({ participants, totalWeight }));
    });
  q.command('params')
    .description('x/poc params')
    .option(...nodeOption)
    .action(async (o: { node: string }) => {
      process.stdout.write(
        json(await abciQuery(o.node, path('Params'), QueryParamsRequest, QueryParamsResponse, {})),
      );
    });
}
