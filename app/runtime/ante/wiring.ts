// Wires the Cosmos tx format and the tx query service into an app whose module list holds x/auth
// and x/bank (found by name, so app.ts stays a plain list of modules).
import type { AuthKeeper } from '../../../x/auth/keeper.js';
import type { BankKeeper } from '../../../x/bank/keeper.js';
import type { BaseApp } from '../baseApp.js';
import type { AppModule } from '../module.js';
import type { MsgRouter } from '../router.js';
import type { TxFormat } from '../tx.js';
import { cosmosTxFormat } from './cosmosTx.js';
import { registerTxService } from './txService.js';

/** The Cosmos tx format for these modules ([] when x/auth or x/bank is absent). */
export function cosmosTxFormats(modules: AppModule[], msgs: () => MsgRouter): TxFormat[] {
  const auth = modules.find((m) => m.name === 'auth') as (AppModule & { keeper: AuthKeeper }) | undefined;
  const bank = modules.find((m) => m.name === 'bank') as (AppModule & { keeper: BankKeeper }) | undefined;
  if (!auth || !bank) return [];
  return [cosmosTxFormat({ auth: auth.keeper, bank: bank.keeper, msgs }) as TxFormat];
}

/** Query routes that need the app itself (Simulate runs a tx through BaseApp). */
export function registerAppServices(app: BaseApp): void {
  registerTxService(app);
}
