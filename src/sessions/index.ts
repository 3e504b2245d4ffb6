/** Server-held conversations, bound to the authenticated principal. */
export { SessionService, type TurnWork } from './session-service.js';
