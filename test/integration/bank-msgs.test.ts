// x/bank messages and the bank and auth query services in process: authority checks, send-enabled,
// blocked module accounts, and the queries wallets and explorers call (with pagination).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  Bech32PrefixRequest,
  Bech32PrefixResponse,
  QueryAccountAddressByIDRequest,
  QueryAccountAddressByIDResponse,
  QueryAccountsRequest,
  QueryAccountsResponse,
  QueryModuleAccountsRequest,
  QueryModuleAccountsResponse,
} from 'cosmjs-types/cosmos/auth/v1beta1/query';
import {
  QueryAllBalancesRequest,
  QueryAllBalancesResponse,
  QueryDenomMetadataRequest,
  QueryDenomMetadataResponse,
  QueryDenomOwnersRequest,
  QueryDenomOwnersResponse,
  QuerySendEnabledRequest,
  QuerySendEnabledResponse,
  QuerySupplyOfRequest,
  QuerySupplyOfResponse,
  QueryTotalSupplyRequest,
  QueryTotalSupplyResponse,
} from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { MsgUpdateParams } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { moduleAddress } from '../../app/runtime/address.js';
import { accountOf, sendMsg, signTx, TestChain } from './tx-harness.js';

const B = '/cosmos.bank.v1beta1.Query';
const A = '/cosmos.auth.v1beta1.Query';

describe('x/bank messages and queries', () => {
  let chain: TestChain;
  before(async () => {
    chain = await TestChain.create({
      accounts: 3,
      appState: (s) => {
        s.bank.balances[0].coins.push({ denom: 'uatom', amount: '500' });
        s.bank.send_enabled = [{ denom: 'uatom', enabled: false }];
      },
    });
  });
  after(async () => chain.close());

  const deliver = async (i: number, msg: Parameters<typeof signTx>[1]['msgs'][number]) => {
    const k = chain.keys[i]!;
    const a = accountOf(chain, k.address);
    return (
      await chain.block([signTx(k, { msgs: [msg], sequence: a.sequence, accountNumber: a.accountNumber })])
    ).txResults[0]!;
  };

  it('rejects MsgUpdateParams from anyone but the gov module account, sends of disabled denoms, and sends to module accounts', async () => {
    const k = chain.keys[0]!;
    // The gov account cannot sign; a user claiming the authority fails the pubkey check.
    const asGov = {
      typeUrl: '/cosmos.bank.v1beta1.MsgUpdateParams',
      value: MsgUpdateParams.encode({
        authority: moduleAddress('gov'),
        params: { sendEnabled: [], defaultSendEnabled: false },
      }).finish(),
    };
    const a = accountOf(chain, k.address);
    const forged = chain.checkTx(
      signTx(k, { msgs: [asGov], sequence: a.sequence, accountNumber: a.accountNumber }),
    );
    assert.notEqual(forged.code, 0);
    const asUser = {
      typeUrl: '/cosmos.bank.v1beta1.MsgUpdateParams',
      value: MsgUpdateParams.encode({
        authority: k.address,
        params: { sendEnabled: [], defaultSendEnabled: false },
      }).finish(),
    };
    const r1 = await deliver(0, asUser);
    assert.equal(r1.code, 4, r1.log);
    const r2 = await deliver(0, sendMsg(k.address, chain.keys[1]!.address, 10n, 'uatom'));
    assert.deepEqual([r2.codespace, r2.code], ['bank', 5], r2.log);
    const r3 = await deliver(0, sendMsg(k.address, moduleAddress('fee_collector'), 10n));
    assert.equal(r3.code, 4, r3.log);
  });

  it('answers the bank queries', () => {
    const k = chain.keys[0]!.address;
    const page1 = chain.query(`${B}/AllBalances`, QueryAllBalancesRequest, QueryAllBalancesResponse, {
      address: k,
      pagination: { key: new Uint8Array(0), offset: 0n, limit: 1n, countTotal: true, reverse: false },
      resolveDenom: false,
    });
    assert.equal(page1.balances.length, 1);
    assert.equal(page1.pagination!.total, 2n);
    const page2 = chain.query(`${B}/AllBalances`, QueryAllBalancesRequest, QueryAllBalancesResponse, {
      address: k,
      pagination: {
        key: page1.pagination!.nextKey,
        offset: 0n,
        limit: 1n,
        countTotal: false,
        reverse: false,
      },
      resolveDenom: false,
    });
    assert.deepEqual(
      [...page1.balances, ...page2.balances].map((c) => c.denom),
      ['ngonka', 'uatom'],
    );
    const supply = chain.query(`${B}/TotalSupply`, QueryTotalSupplyRequest, QueryTotalSupplyResponse, {});
    assert.deepEqual(
      supply.supply.map((c) => c.denom),
      ['ngonka', 'uatom'],
    );
    const atom = chain.query(`${B}/SupplyOf`, QuerySupplyOfRequest, QuerySupplyOfResponse, {
      denom: 'uatom',
    });
    assert.equal(atom.amount.amount, '500');
    const meta = chain.query(`${B}/DenomMetadata`, QueryDenomMetadataRequest, QueryDenomMetadataResponse, {
      denom: 'ngonka',
    });
    assert.equal(meta.metadata.display, 'gonka');
    const owners = chain.query(`${B}/DenomOwners`, QueryDenomOwnersRequest, QueryDenomOwnersResponse, {
      denom: 'uatom',
    });
    assert.deepEqual(
      owners.denomOwners.map((o) => o.address),
      [k],
    );
    const se = chain.query(`${B}/SendEnabled`, QuerySendEnabledRequest, QuerySendEnabledResponse, {
      denoms: ['uatom'],
    });
    assert.deepEqual(se.sendEnabled, [{ denom: 'uatom', enabled: false }]);
  });

  it('answers the auth queries', () => {
    const all = chain.query(`${A}/Accounts`, QueryAccountsRequest, QueryAccountsResponse, {
      pagination: { key: new Uint8Array(0), offset: 0n, limit: 2n, countTotal: true, reverse: false },
    });
    assert.equal(all.accounts.length, 2);
    assert.ok(all.pagination!.total >= 5n);
    const mods = chain.query(
      `${A}/ModuleAccounts`,
      QueryModuleAccountsRequest,
      QueryModuleAccountsResponse,
      {},
    );
    assert.ok(mods.accounts.every((a) => a.typeUrl === '/cosmos.auth.v1beta1.ModuleAccount'));
    assert.ok(mods.accounts.length >= 2);
    assert.equal(
      chain.query(`${A}/Bech32Prefix`, Bech32PrefixRequest, Bech32PrefixResponse, {}).bech32Prefix,
      'gonka',
    );
    const n = accountOf(chain, chain.keys[1]!.address).accountNumber;
    const byId = chain.query(
      `${A}/AccountAddressByID`,
      QueryAccountAddressByIDRequest,
      QueryAccountAddressByIDResponse,
      { id: 0n, accountId: n },
    );
    assert.equal(byId.accountAddress, chain.keys[1]!.address);
  });
});
