// The governance end blocker: drops proposals whose deposit period ended without the minimum,
// and tallies those whose voting period ended. A passed proposal's messages run through the app's
// router with the governance account as authority on one store branch, written only if every
// message succeeds (all or nothing); a failure is recorded as PROPOSAL_STATUS_FAILED with the
// error in failed_reason. Everything here is bounded by max_open_proposals.
import { type Proposal, ProposalStatus } from 'cosmjs-types/cosmos/gov/v1/gov';
import type { Context } from '../../app/runtime/context.js';
import { errorResult, sdkErrors } from '../../app/runtime/errors.js';
import { GasMeter } from '../../app/runtime/gas.js';
import * as ev from './events.js';
import { type GovKeeper, tallyToProto } from './keeper.js';
import { decide } from './tally.js';

export function govEndBlock(ctx: Context, k: GovKeeper): void {
  for (const id of k.dueIds(ctx, 'inactive')) {
    const p = k.getProposal(ctx, id);
    if (!p) throw new Error(`governance: inactive queue names missing proposal ${id}`);
    const params = k.getParams(ctx);
    k.closeProposal(ctx, p, 'inactive');
    if (params.burnProposalDepositPrevote) k.burnDeposits(ctx, id);
    else k.refundDeposits(ctx, id);
    k.deleteProposal(ctx, id);
    ctx.events.emit(ev.inactiveProposal(id, ev.RESULT.dropped));
  }

  for (const id of k.dueIds(ctx, 'active')) {
    const p = k.getProposal(ctx, id);
    if (!p) throw new Error(`governance: active queue names missing proposal ${id}`);
    const params = k.getParams(ctx);
    const tally = k.currentTally(ctx, id);
    const outcome = decide(tally, k.totalWeight(ctx), {
      quorum: params.quorum,
      threshold: p.expedited ? params.expeditedThreshold : params.threshold,
      vetoThreshold: params.vetoThreshold,
      burnVoteQuorum: params.burnVoteQuorum,
      burnVoteVeto: params.burnVoteVeto,
    });
    if (p.expedited && !outcome.passes) {
      // An expedited proposal that misses gets the rest of a regular voting period; its votes and
      // deposits stay.
      k.requeueAsRegular(ctx, p);
      ctx.events.emit(ev.activeProposal(id, ev.RESULT.expeditedRejected, outcome.reason));
      continue;
    }
    k.closeProposal(ctx, p, 'active');
    if (outcome.burnDeposits) k.burnDeposits(ctx, id);
    else k.refundDeposits(ctx, id);
    p.finalTallyResult = tallyToProto(outcome.tally);
    let result: string;
    let log = outcome.reason;
    if (outcome.passes) {
      const failure = execute(ctx, k, p);
      if (failure === undefined) {
        p.status = ProposalStatus.PROPOSAL_STATUS_PASSED;
        result = ev.RESULT.passed;
      } else {
        p.status = ProposalStatus.PROPOSAL_STATUS_FAILED;
        p.failedReason = failure;
        result = ev.RESULT.failed;
        log = failure;
      }
    } else {
      p.status = ProposalStatus.PROPOSAL_STATUS_REJECTED;
      result = ev.RESULT.rejected;
    }
    k.setProposal(ctx, p);
    k.deleteVotes(ctx, id);
    ctx.events.emit(ev.activeProposal(id, result, log));
  }
}

/** Runs the proposal's messages all or nothing; returns the failure, or undefined on success. */
function execute(ctx: Context, k: GovKeeper, p: Proposal): string | undefined {
  const router = k.router;
  if (!router) throw new Error('governance: router not registered');
  const branch = ctx.branch(new GasMeter());
  const execCtx = branch.ctx;
  // Block effects (consensus param updates) are shared with the block; undo them on failure.
  const savedEffects = { ...ctx.effects };
  const authority = k.authority();
  try {
    p.messages.forEach((any, i) => {
      const { route, msg } = router.decodeAny(any);
      route.validate?.(msg);
      const signers = route.signers(msg);
      if (signers.length !== 1 || signers[0] !== authority)
        // An AppError, so its text (not the redacted internal-error text) lands in failed_reason.
        throw sdkErrors.unauthorized(`message ${i} (${any.typeUrl}) is not signed by the governance account`);
      route.handle(execCtx, msg);
    });
  } catch (e) {
    for (const key of Object.keys(ctx.effects) as (keyof typeof ctx.effects)[]) delete ctx.effects[key];
    Object.assign(ctx.effects, savedEffects);
    return errorResult(e).log;
  }
  branch.write();
  ctx.events.emitAll(execCtx.events.events());
  return undefined;
}
