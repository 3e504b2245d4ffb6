/**
 * Rate limits per user, the global cap on model calls, and the fair wait for room: an admission
 * stage for the turn pipeline, over whichever state backend is configured.
 */
export { admissionStage, MODEL_CALL_POOL, type AdmissionOptions } from './admission-stage.js';
export { limitsFor, type PrincipalLimits } from './limits-for.js';
export { limitHeaders, rateLimitHeaders } from './rate-limit-headers.js';
export {
  waitForRoom,
  rateLimitedError,
  type Attempt,
  type QueueWaitObserver,
  type WaitOptions,
} from './wait-for-room.js';
export { providerCapacity, providerPool, type ProviderCapacity } from './provider-capacity.js';
export { trySlot, waitForSlot, type SlotHoldOptions, type SlotRelease } from './slot-hold.js';
