import { createHash } from 'node:crypto';

/**
 * The canary of a system prompt: derived from the prompt, so the same prompt always carries the
 * same canary. A random one per turn would change every request the provider sees, defeating
 * its prompt cache and the degraded mode's stored answers, which key on the whole prompt.
 * Knowing the canary gains an attacker nothing: it only lets them end their own answer early.
 */
export function canaryFor(systemPrompt: string): string {
  const digest = createHash('sha256').update('rampart-canary\0').update(systemPrompt).digest('hex');
  return `rk-canary-${digest.slice(0, 16)}`;
}
