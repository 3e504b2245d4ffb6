export { parseCreateSession, parseSendMessage, parseToolDecisions } from './requests.js';
export type { CreateSessionRequest, SendMessageRequest, ToolDecisionsRequest } from './requests.js';
export { messageView, pendingCallView, sessionView } from './views.js';
export type { MessageView, SessionSummary } from './views.js';
export { encodeSessionEvent, turnEndBody, usageView } from './events.js';
export type { BudgetView, SessionSseEvent, TurnEndFacts } from './events.js';
export { routingView } from './routing-view.js';
export {
  MAX_FEEDBACK_COMMENT_CHARS,
  parseFeedback,
  type FeedbackRequest,
} from './feedback-request.js';
