// gonkad query poc epoch|participants|params: x/poc's epoch clock and participants (weights) via
// ABCI queries over a node's CometBFT RPC.
import type { Command } from 'commander';
import {
  QueryEpochRequest,
  QueryEpochResponse,
  QueryParamsRequest,
  QueryParamsResponse,
  QueryParticipantsRequest,
  QueryParticipantsResponse,
} from '../../../proto/gonka/poc/v1/codecs.js';
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
      process.stdout.write(
        json(
          await abciQuery(
            o.node,
            path('Participants'),
            QueryParticipantsRequest,
            QueryParticipantsResponse,
            {},
          ),
        ),
      );
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
