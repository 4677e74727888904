// x/bank params: whether sends are enabled by default; per-denom overrides are stored apart (as in
// SDK v0.47+), so Params.send_enabled in state is always empty.
import { Params } from 'cosmjs-types/cosmos/bank/v1beta1/bank';

export const defaultBankParams = (): Params =>
  Params.fromPartial({ sendEnabled: [], defaultSendEnabled: true });
