export * from './conversation.js';
export * from './events.js';
export * from './errors.js';
export * from './principal.js';
export * from './collect.js';
export * from './logger.js';
export { invalidRequestFromIssues, formatParam } from './invalid-request.js';
export {
  estimateInputTokens,
  estimateUsage,
  CHARS_PER_TOKEN,
  CHARACTER_COUNTING,
  countTargetOf,
  type CountTarget,
  type TokenCounting,
  type TokenCounts,
} from './token-estimate.js';
export { jsonDepthExceeds, MAX_JSON_DEPTH } from './json-depth.js';
export { rampartVersion } from './version.js';
export { headerValue } from './header-value.js';
export { redactUrl } from './redact-url.js';
export { splitCredentials } from './url-credentials.js';
export { checkToolPairing, type PairingMessage } from './tool-pairing.js';
