// CosmJS, unmodified, against our app behind a real CometBFT (issue 3 acceptance 1 and 2):
// SigningStargateClient with a DirectSecp256k1HdWallet (prefix gonka) sends with fee "auto",
// reads balances, accounts and txs, broadcasts a multi-message tx, and sees the SDK error codes.
// Test mnemonics are generated here, at test time; the accounts are funded with
// `gonkad genesis add-account` before the node starts.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { BroadcastTxError, type DeliverTxResponse, GasPrice, SigningStargateClient } from '@cosmjs/stargate';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { repoPath } from '../../app/paths.js';
import { addGenesisAccount } from './helpers/genesisAccounts.js';
import { TestNode } from './helpers/node.js';

const DENOM = 'ngonka';
const FUNDS = 1_000_000_000_000n;

// broadcastTx arms its poll timeout before broadcasting and does not clear it when CheckTx
// rejects, so the error cases pass a short timeout to keep the process from idling after the test.
async function expectBroadcastError(p: Promise<unknown>, code: number): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof BroadcastTxError, `expected BroadcastTxError, got ${String(e)}`);
    assert.equal(e.code, code, e.log);
    return true;
  });
}

describe('CosmJS against gonkad + CometBFT', () => {
  let node: TestNode;
  let alice: DirectSecp256k1HdWallet;
  let bob: DirectSecp256k1HdWallet;
  let aliceAddr: string;
  let bobAddr: string;
  let client: SigningStargateClient;
  let chainId: string;

  before(async () => {
    node = await TestNode.create();
    alice = await DirectSecp256k1HdWallet.generate(24, { prefix: 'gonka' });
    bob = await DirectSecp256k1HdWallet.generate(12, { prefix: 'gonka' });
    aliceAddr = (await alice.getAccounts())[0]!.address;
    bobAddr = (await bob.getAccounts())[0]!.address;
    for (const addr of [aliceAddr, bobAddr]) {
      addGenesisAccount(node.home, addr, `${FUNDS}${DENOM}`);
    }
    node.start();
    await node.waitForHeight(2, 60_000);
    client = await SigningStargateClient.connectWithSigner(node.rpc.url, alice, {
      gasPrice: GasPrice.fromString(`0.1${DENOM}`),
      broadcastPollIntervalMs: 150,
      broadcastTimeoutMs: 20_000,
    });
    chainId = await client.getChainId();
  });
  after(async () => {
    client?.disconnect();
    await node?.destroy();
  });

  it('sendTokens with fee "auto", then getBalance, getAccount and getTx agree', async () => {
    const carol = (await (await DirectSecp256k1HdWallet.generate(12, { prefix: 'gonka' })).getAccounts())[0]!
      .address;
    const before = BigInt((await client.getBalance(aliceAddr, DENOM)).amount);
    const res = await client.sendTokens(
      aliceAddr,
      carol,
      [{ denom: DENOM, amount: '12345' }],
      'auto',
      'hello',
    );
    assert.equal(res.code, 0, res.rawLog);
    assert.equal((await client.getBalance(carol, DENOM)).amount, '12345');
    const fee = before - 12345n - BigInt((await client.getBalance(aliceAddr, DENOM)).amount);
    assert.ok(
      fee > 0n && fee <= (res.gasWanted * 1n + 9n) / 10n + 1n,
      `fee ${fee} for gas_wanted ${res.gasWanted}`,
    );
    assert.ok(res.gasUsed <= res.gasWanted);
    const acct = await client.getAccount(aliceAddr);
    assert.ok(acct);
    assert.equal(acct.sequence, 1);
    assert.ok(acct.pubkey, 'pubkey stored by the first tx');
    const carolAcct = await client.getAccount(carol);
    assert.ok(carolAcct && carolAcct.sequence === 0, 'recipient account created');
    const tx = await client.getTx(res.transactionHash);
    assert.ok(tx);
    assert.equal(tx.code, 0);
    assert.equal(tx.height, res.height);
    const transfer = tx.events.find(
      (e) => e.type === 'transfer' && e.attributes.some((a) => a.key === 'recipient' && a.value === carol),
    );
    assert.ok(transfer, 'transfer event to the recipient');
    assert.deepEqual(
      res.msgResponses.map((m) => m.typeUrl),
      ['/cosmos.bank.v1beta1.MsgSendResponse'],
    );
  });

  it('signAndBroadcast of a multi-message tx applies every message', async () => {
    const dave = (await (await DirectSecp256k1HdWallet.generate(12, { prefix: 'gonka' })).getAccounts())[0]!
      .address;
    const msgs = [1000n, 2000n].map((amount) => ({
      typeUrl: '/cosmos.bank.v1beta1.MsgSend',
      value: {
        fromAddress: aliceAddr,
        toAddress: dave,
        amount: [{ denom: DENOM, amount: amount.toString() }],
      },
    }));
    const multi = {
      typeUrl: '/cosmos.bank.v1beta1.MsgMultiSend',
      value: {
        inputs: [{ address: aliceAddr, coins: [{ denom: DENOM, amount: '30' }] }],
        outputs: [
          { address: dave, coins: [{ denom: DENOM, amount: '10' }] },
          { address: bobAddr, coins: [{ denom: DENOM, amount: '20' }] },
        ],
      },
    };
    const res = await client.signAndBroadcast(aliceAddr, [...msgs, multi], 'auto');
    assert.equal(res.code, 0, res.rawLog);
    assert.equal((await client.getBalance(dave, DENOM)).amount, '3010');
    assert.equal(res.msgResponses.length, 3);
    const indexes = res.events
      .filter((e) => e.type === 'message' && e.attributes.some((a) => a.key === 'action'))
      .map((e) => e.attributes.find((a) => a.key === 'msg_index')?.value);
    assert.deepEqual(indexes, ['0', '1', '2']);
  });

  it('the gonkad CLI: keys add --recover, tx bank send, query bank balances, query account', async () => {
    // Asynchronous on purpose: spawnSync would block this process's event loop for seconds, so
    // the HTTP client's keep-alive timers could not retire sockets CometBFT closed meanwhile.
    const cli = (args: string[], input?: string) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          [
            repoPath('dist', 'app', 'cli', 'main.js'),
            ...args,
            ...(['keys', 'tx'].includes(args[0]!) ? ['--home', node.home] : []),
          ],
          { env: { ...process.env, GONKA_KEYRING_PASSPHRASE: 'e2e passphrase' } },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.stdin.end(input ?? '');
        child.once('close', (status) => resolve({ status, stdout, stderr }));
      });
    const added = await cli(['keys', 'add', 'alice', '--recover'], `${alice.mnemonic}\n`);
    assert.equal(added.status, 0, added.stderr);
    assert.equal(JSON.parse(added.stdout).address, aliceAddr);
    const erin = (await (await DirectSecp256k1HdWallet.generate(12, { prefix: 'gonka' })).getAccounts())[0]!
      .address;
    const sent = await cli(['tx', 'bank', 'send', 'alice', erin, '4321ngonka', '--node', node.rpc.url]);
    assert.equal(sent.status, 0, sent.stderr);
    assert.equal(JSON.parse(sent.stdout).code, 0);
    const balances = await cli(['query', 'bank', 'balances', erin, '--node', node.rpc.url]);
    assert.equal(balances.status, 0, balances.stderr);
    assert.deepEqual(JSON.parse(balances.stdout).balances, [{ denom: DENOM, amount: '4321' }]);
    const account = await cli(['query', 'account', aliceAddr, '--node', node.rpc.url]);
    assert.equal(account.status, 0, account.stderr);
    assert.equal(JSON.parse(account.stdout).address, aliceAddr);
    const missing = await cli(['query', 'account', erin.replace(/.{6}$/, 'qqqqqq'), '--node', node.rpc.url]);
    assert.equal(missing.status, 2, 'an invalid address is a user error');
  });

  it('reports the SDK error codes and moves no coins but fees', async () => {
    const bobClient = await SigningStargateClient.connectWithSigner(node.rpc.url, bob, {
      gasPrice: GasPrice.fromString(`0.1${DENOM}`),
      broadcastPollIntervalMs: 150,
      broadcastTimeoutMs: 20_000,
    });
    try {
      const send = [
        {
          typeUrl: '/cosmos.bank.v1beta1.MsgSend',
          value: { fromAddress: bobAddr, toAddress: aliceAddr, amount: [{ denom: DENOM, amount: '1' }] },
        },
      ];
      const fee = { amount: [{ denom: DENOM, amount: '20000' }], gas: '200000' };
      const acct = (await bobClient.getAccount(bobAddr))!;
      const signer = { accountNumber: acct.accountNumber, sequence: acct.sequence, chainId };
      const balanceBefore = BigInt((await bobClient.getBalance(bobAddr, DENOM)).amount);
      const bytes = async (over: Partial<typeof signer>) =>
        TxRaw.encode(await bobClient.sign(bobAddr, send, fee, '', { ...signer, ...over })).finish();

      await expectBroadcastError(
        bobClient.broadcastTx(await bytes({ sequence: signer.sequence + 5 }), 1000, 150),
        32,
      );
      await expectBroadcastError(
        bobClient.broadcastTx(await bytes({ chainId: 'not-this-chain' }), 1000, 150),
        4,
      );
      const tampered = TxRaw.decode(await bytes({}));
      tampered.signatures[0]![0]! ^= 0x55;
      await expectBroadcastError(bobClient.broadcastTx(TxRaw.encode(tampered).finish(), 1000, 150), 4);
      assert.equal(
        BigInt((await bobClient.getBalance(bobAddr, DENOM)).amount),
        balanceBefore,
        'rejected in CheckTx: nothing moved',
      );

      // Insufficient funds: passes CheckTx (fee is payable), fails in the message: only the fee moves.
      const tooMuch: DeliverTxResponse = await bobClient.sendTokens(
        bobAddr,
        aliceAddr,
        [{ denom: DENOM, amount: (FUNDS * 10n).toString() }],
        fee,
      );
      assert.equal(tooMuch.code, 5, tooMuch.rawLog);
      assert.equal(BigInt((await bobClient.getBalance(bobAddr, DENOM)).amount), balanceBefore - 20_000n);

      // Out of gas in the message: code 11, fee kept.
      const starved = await bobClient.sendTokens(bobAddr, aliceAddr, [{ denom: DENOM, amount: '1' }], {
        amount: [{ denom: DENOM, amount: '3200' }],
        gas: '32000',
      });
      assert.equal(starved.code, 11, starved.rawLog);
      assert.equal(
        BigInt((await bobClient.getBalance(bobAddr, DENOM)).amount),
        balanceBefore - 20_000n - 3_200n,
      );

      const nobody = (
        await (await DirectSecp256k1HdWallet.generate(12, { prefix: 'gonka' })).getAccounts()
      )[0]!.address;
      assert.equal(await bobClient.getAccount(nobody), null);
    } finally {
      bobClient.disconnect();
    }
  });
});
