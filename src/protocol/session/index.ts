export { parseCreateSession, parseSendMessage } from './requests.js';
export type { CreateSessionRequest, SendMessageRequest } from './requests.js';
export { messageView, sessionView } from './views.js';
export type { MessageView, SessionSummary } from './views.js';
export { encodeSessionEvent, turnEndBody, usageView } from './events.js';
export type { SessionSseEvent, TurnEndFacts } from './events.js';
