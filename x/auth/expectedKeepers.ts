// What x/auth needs from other modules. Its keeper needs nothing (x/auth is the bottom of the
// dependency order); its ante handler pays fees through x/bank, and declares that next to the
// ante steps that use it.
export type { AnteAccountKeeper, AnteBankKeeper } from './ante/expectedKeepers.js';
