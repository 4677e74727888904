// `npm start` (gonkad devnet) on a fresh home (issue 12 acceptance 3): chain node, ML node and API
// node run as three child processes; within two epochs the validator's power comes from its own
// Sprint — its commit, its VALID vote on itself and the accepted weight are on chain, CometBFT's
// /validators shows that weight as power, and the devnet log shows the progress line. Then one
// child dying stops the devnet with a non-zero exit and a clear message. Fast timing profile.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ProtoCodec } from '../../app/runtime/router.js';
import { Verdict } from '../../proto/gen/gonka/poc/v1/poc.js';
import {
  QueryCommitsRequest,
  QueryCommitsResponse,
  QueryStageRequest,
  QueryStageResponse,
  QueryVotesRequest,
  QueryVotesResponse,
  QueryWeightsRequest,
  QueryWeightsResponse,
} from '../../proto/gen/gonka/poc/v1/query.js';
import { gonkadEntry } from './helpers/entries.js';
import { freePorts } from './helpers/ports.js';
import { CometRpc, waitFor } from './helpers/rpc.js';

async function query<Req, Res>(
  rpc: CometRpc,
  path: string,
  req: ProtoCodec<Req>,
  res: ProtoCodec<Res>,
  v: Req,
) {
  const r = await rpc.abciQuery(path, req.encode(v).finish());
  if (r.code) throw new Error(`${path}: code ${r.code} ${r.log ?? ''}`);
  return res.decode(Buffer.from(r.value ?? '', 'base64'));
}

describe('gonkad devnet: the validator mines, commits and validates itself', () => {
  const home = mkdtempSync(join(tmpdir(), 'gonka-devnet-sprint-'));
  let proc: ChildProcess | undefined;
  let log = '';
  let exit: Promise<number | null> | undefined;
  after(async () => {
    if (proc && proc.exitCode === null) {
      proc.kill('SIGTERM');
      await exit;
    }
    rmSync(home, { recursive: true, force: true });
  });

  it('within two epochs its power is its own Sprint weight; a dead child stops the devnet', async () => {
    const [rpcPort, p2p, grpc, api, ml] = (await freePorts(5)) as [number, number, number, number, number];
    proc = spawn(
      process.execPath,
      [
        gonkadEntry,
        'devnet',
        '--home',
        home,
        '--profile',
        'fast',
        '--rpc-laddr',
        `127.0.0.1:${rpcPort}`,
        '--p2p-laddr',
        `127.0.0.1:${p2p}`,
        '--grpc-address',
        `127.0.0.1:${grpc}`,
        '--metrics-address',
        'off',
        '--comet-metrics-address',
        'off',
        '--api-listen',
        `127.0.0.1:${api}`,
        '--ml-listen',
        `127.0.0.1:${ml}`,
        '--ml-workers',
        '1',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    proc.stdout!.on('data', (d) => (log += d));
    proc.stderr!.on('data', (d) => (log += d));
    exit = new Promise((r) => proc!.on('exit', (code) => r(code)));
    const rpc = new CometRpc(`http://127.0.0.1:${rpcPort}`);
    const operator = await waitFor('the API node key', async () => {
      return (JSON.parse(readFileSync(join(home, 'api', 'key.json'), 'utf8')) as { address: string }).address;
    });

    // An accepted weight for the operator from a Sprint (the first epoch's, or the second's).
    const result = await waitFor(
      'an accepted Sprint weight for the devnet validator',
      async () => {
        const st = await query(rpc, '/gonka.poc.v1.Query/Stage', QueryStageRequest, QueryStageResponse, {});
        for (let e = 1n; e <= (st.sprint?.epoch ?? 0n); e++) {
          const w = await query(
            rpc,
            '/gonka.poc.v1.Query/Weights',
            QueryWeightsRequest,
            QueryWeightsResponse,
            QueryWeightsRequest.fromPartial({ epoch: e }),
          );
          const mine = w.weights.find((x) => x.participant === operator && x.accepted && x.weight > 0n);
          if (mine) return mine;
        }
        return undefined;
      },
      80_000,
      500,
    );
    const commits = await query(
      rpc,
      '/gonka.poc.v1.Query/Commits',
      QueryCommitsRequest,
      QueryCommitsResponse,
      QueryCommitsRequest.fromPartial({ epoch: result.epoch }),
    );
    const commit = commits.commits.find((c) => c.participant === operator);
    assert.ok(
      commit && commit.count > 0n,
      `a commit with leaves: ${JSON.stringify(commits.commits, bigints)}`,
    );
    assert.equal(result.rawWeight, commit.count, 'tiny: coefficient 1, raw weight = count');
    const votes = await query(
      rpc,
      '/gonka.poc.v1.Query/Votes',
      QueryVotesRequest,
      QueryVotesResponse,
      QueryVotesRequest.fromPartial({ epoch: result.epoch, participant: operator }),
    );
    assert.ok(
      votes.votes.some((v) => v.validator === operator && v.verdict === Verdict.VERDICT_VALID),
      `its own VALID vote: ${JSON.stringify(votes.votes, bigints)}`,
    );
    // CometBFT applies the set at the next epoch boundary.
    await waitFor(
      'CometBFT power = the Sprint weight',
      async () => {
        const v = await rpc.call<{ validators: { voting_power: string }[] }>('validators');
        return v.validators.length === 1 && BigInt(v.validators[0]!.voting_power) === result.weight;
      },
      40_000,
      500,
    );
    assert.match(log, /\[api\] PoC epoch \d+ tiny: count [\d,]+ · [\d,]+ nonces\/s · commit stage in/);

    // One child exiting stops the devnet (the ML node here): non-zero exit, a clear line.
    const mlPid = Number(/\[devnet\] ml started \(pid (\d+)\)/.exec(log)?.[1]);
    assert.ok(mlPid > 0, "the devnet names its children's pids");
    process.kill(mlPid, 'SIGKILL');
    assert.notEqual(await exit, 0);
    assert.match(log, /\[devnet\] ml exited \(SIGKILL\); stopping the devnet/);
  });
});

const bigints = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);
