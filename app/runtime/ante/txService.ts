// cosmos.tx.v1beta1.Service/Simulate on the query router, so CosmJS's fee "auto" works over ABCI
// Query (and the gRPC server serves the same handler). A failing simulation answers the tx's own
// (codespace, code, log), as the SDK does.
import { TxMsgData } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import { SimulateRequest, SimulateResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { AuthInfo, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import type { BaseApp } from '../baseApp.js';
import { AppError, sdkErrors } from '../errors.js';

export const SIMULATE_PATH = '/cosmos.tx.v1beta1.Service/Simulate';

/** The bytes to simulate: tx_bytes, or the deprecated decoded `tx` field re-encoded. */
function simulationBytes(req: SimulateRequest): Uint8Array {
  if (req.txBytes.length > 0) return req.txBytes;
  if (!req.tx) throw sdkErrors.invalidRequest('empty txBytes is not allowed');
  return TxRaw.encode({
    bodyBytes: TxBody.encode(req.tx.body ?? TxBody.fromPartial({})).finish(),
    authInfoBytes: AuthInfo.encode(req.tx.authInfo ?? AuthInfo.fromPartial({})).finish(),
    signatures: req.tx.signatures,
  }).finish();
}

export function registerTxService(app: BaseApp): void {
  app.queries.register({
    path: SIMULATE_PATH,
    request: SimulateRequest,
    response: SimulateResponse,
    handle(_ctx, req) {
      const out = app.simulate(simulationBytes(req));
      if (out.code !== 0) throw new AppError(out.codespace, out.code, out.log);
      return SimulateResponse.fromPartial({
        gasInfo: { gasWanted: out.gasWanted, gasUsed: out.gasUsed },
        result: {
          data: new Uint8Array(0),
          log: '',
          events: out.events,
          msgResponses: TxMsgData.decode(out.data).msgResponses,
        },
      });
    },
  });
}
