// One message of every type with an Amino form, every field set to a non-default value (so a field
// missing from its amino schema shows up as a round-trip difference), by type URL.
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';

const A = 'gonka1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu';
const B = 'gonka1pgqsxpq9qcrsszg2pvxq6rs0zqg3yyc5g2rxxy';
const coin = (amount: string, denom = 'ngonka') => ({ denom, amount });
const dur = (seconds: bigint, nanos = 0) => ({ seconds, nanos });

export const AMINO_SAMPLES: Record<string, unknown> = {
  '/cosmos.bank.v1beta1.MsgSend': {
    fromAddress: A,
    toAddress: B,
    amount: [coin('1000'), coin('5', 'uatom')],
  },
  '/cosmos.bank.v1beta1.MsgMultiSend': {
    inputs: [{ address: A, coins: [coin('30')] }],
    outputs: [
      { address: B, coins: [coin('10')] },
      { address: A, coins: [coin('20')] },
    ],
  },
  '/cosmos.bank.v1beta1.MsgUpdateParams': {
    authority: A,
    params: { sendEnabled: [{ denom: 'ngonka', enabled: true }], defaultSendEnabled: true },
  },
  '/cosmos.bank.v1beta1.MsgSetSendEnabled': {
    authority: A,
    sendEnabled: [{ denom: 'ngonka', enabled: true }],
    useDefaultFor: ['uatom'],
  },
  '/cosmos.gov.v1.MsgSubmitProposal': {
    messages: [
      {
        typeUrl: '/cosmos.bank.v1beta1.MsgSend',
        value: MsgSend.encode({ fromAddress: A, toAddress: B, amount: [coin('1')] }).finish(),
      },
    ],
    initialDeposit: [coin('1000000')],
    proposer: A,
    metadata: 'ipfs://meta',
    title: 'Title <b>',
    summary: 'Summary & more',
    expedited: true,
  },
  '/cosmos.gov.v1.MsgDeposit': { proposalId: 3n, depositor: A, amount: [coin('77')] },
  '/cosmos.gov.v1.MsgVote': { proposalId: 3n, voter: A, option: 1, metadata: 'why' },
  '/cosmos.gov.v1.MsgVoteWeighted': {
    proposalId: 3n,
    voter: A,
    options: [
      { option: 1, weight: '0.700000000000000000' },
      { option: 3, weight: '0.300000000000000000' },
    ],
    metadata: 'split',
  },
  '/cosmos.gov.v1.MsgCancelProposal': { proposalId: 4n, proposer: A },
  '/cosmos.gov.v1.MsgUpdateParams': {
    authority: A,
    params: {
      minDeposit: [coin('10')],
      maxDepositPeriod: dur(172800n),
      votingPeriod: dur(60n, 500),
      quorum: '0.334000000000000000',
      threshold: '0.500000000000000000',
      vetoThreshold: '0.334000000000000000',
      minInitialDepositRatio: '0.100000000000000000',
      proposalCancelRatio: '0.500000000000000000',
      proposalCancelDest: B,
      expeditedVotingPeriod: dur(30n),
      expeditedThreshold: '0.667000000000000000',
      expeditedMinDeposit: [coin('50')],
      burnVoteQuorum: true,
      burnProposalDepositPrevote: true,
      burnVoteVeto: true,
      minDepositRatio: '0.010000000000000000',
    },
  },
  '/cosmos.consensus.v1.MsgUpdateParams': {
    authority: A,
    block: { maxBytes: 22020096n, maxGas: -1n },
    evidence: { maxAgeNumBlocks: 100000n, maxAgeDuration: dur(172800n), maxBytes: 1048576n },
    validator: { pubKeyTypes: ['ed25519'] },
    abci: { voteExtensionsEnableHeight: 5n },
  },
  '/gonka.auth.v1.MsgUpdateParams': {
    authority: A,
    params: {
      maxMemoCharacters: 256n,
      txSigLimit: 7n,
      txSizeCostPerByte: 10n,
      sigVerifyCostEd25519: 590n,
      sigVerifyCostSecp256k1: 1000n,
      minGasPrice: '0.01ngonka',
      maxTxBytes: 1048576n,
    },
  },
  '/gonka.collateral.v1.MsgDepositCollateral': { participant: A, amount: coin('500') },
  '/gonka.collateral.v1.MsgWithdrawCollateral': { participant: A, amount: coin('200') },
  '/gonka.collateral.v1.MsgUnjail': { participant: A },
  '/gonka.collateral.v1.MsgUpdateParams': {
    authority: A,
    params: {
      unbondingPeriodEpochs: 1n,
      slashFractionInvalid: '0.2',
      slashFractionDowntime: '0.1',
      baseWeightRatio: '0.2',
      collateralPerWeightUnit: '1',
      gracePeriodEndEpoch: 2n,
      slashFractionDoubleSign: '0.05',
      signedBlocksWindow: 100n,
      minSignedPerWindow: '0.5',
      downtimeJailBlocks: 600n,
      maxEvidenceAgeBlocks: 1000n,
    },
  },
  '/gonka.governance.v1.MsgUpdateLimits': {
    authority: A,
    maxMessages: 10n,
    maxTitleLength: 140n,
    maxMetadataLength: 255n,
    maxSummaryLength: 10000n,
    maxOpenProposals: 100n,
  },
  '/gonka.poc.v1.MsgUpdateParams': {
    authority: A,
    params: {
      epochLength: 100n,
      generationBlocks: 20n,
      commitBlocks: 10n,
      validationBlocks: 20n,
      dkgBlocks: 5n,
      sampleSize: 32,
      maxPowerFraction: '0.34',
      classes: [{ classId: 1, coefficient: '1.5', maxCount: 1000n }],
    },
  },
  '/gonka.poc.v1.MsgRegisterParticipant': {
    participant: A,
    apiUrl: 'http://127.0.0.1:9000',
    consensusPubkey: new Uint8Array(32).fill(7),
    pop: new Uint8Array(64).fill(9),
    classes: [1, 2],
  },
  '/gonka.poc.v1.MsgUpdateParticipant': { participant: A, apiUrl: 'http://127.0.0.1:9001', classes: [2] },
  '/gonka.poc.v1.MsgPocCommit': {
    participant: A,
    epoch: 5n,
    classId: 1,
    count: 4096n,
    root: new Uint8Array(32).fill(1),
  },
  '/gonka.poc.v1.MsgPocValidation': {
    validator: A,
    epoch: 5n,
    validations: [{ participant: B, classId: 1, verdict: 1, sampleSig: new Uint8Array(64).fill(3) }],
  },
  '/gonka.poc.v1.MsgPocFraudProof': {
    prover: A,
    epoch: 5n,
    participant: B,
    classId: 1,
    index: 3n,
    nonce: 4n,
    output: new Uint8Array(8).fill(2),
    path: [new Uint8Array(32).fill(5), new Uint8Array(32).fill(6)],
    round: 2,
  },
};
