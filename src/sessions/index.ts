/** Server-held conversations, bound to the authenticated principal. */
export { SessionService, type TurnWork } from './session-service.js';
export { declinedResults, pendingToolCalls, settledApprovalTail } from './pending-calls.js';
export { isRetryOfUnfinished, TurnJournal, type CheckpointWrite } from './turn-journal.js';
