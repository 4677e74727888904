// The CometBFT JSON-RPC client the e2e tests use: the testnet library's client plus block
// contents and provable, height-pinned ABCI queries.
import { NodeRpc } from '../../../testnet/rpc.js';

export { waitFor } from '../../../testnet/rpc.js';

export class CometRpc extends NodeRpc {
  async block(height: number): Promise<{
    header: { app_hash: string; time: string; height: string };
    txs: Uint8Array[];
    hash: string;
  }> {
    const r = await this.call<any>('block', { height });
    return {
      header: r.block.header,
      txs: (r.block.data.txs ?? []).map((t: string) => Buffer.from(t, 'base64')),
      hash: r.block_id.hash,
    };
  }

  override async abciQuery(
    path: string,
    data: Uint8Array,
    opts: { height?: number; prove?: boolean } = {},
  ): Promise<any> {
    const r = await this.call<{ response: any }>('abci_query', {
      path: JSON.stringify(path),
      data: `0x${Buffer.from(data).toString('hex')}`,
      height: opts.height ?? 0,
      prove: opts.prove ?? false,
    });
    return r.response;
  }
}
