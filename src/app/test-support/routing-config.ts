import type { ConfigInput } from '../../config/index.js';
import { FAST_SIMULATED } from './harness.js';

/** Two tiers on the simulated provider, `auto` choosing between them. */
export const ROUTING_CONFIG = {
  providers: FAST_SIMULATED,
  models: {
    small: { provider: 'simulated', model: 'sim-small' },
    large: { provider: 'simulated', model: 'sim-large' },
  },
  routing: {
    routes: {
      auto: {
        description: 'cheap unless the request needs more',
        models: { small: 'small', large: 'large' },
        principalTiers: { premium: 'large' },
        escalation: { stickyTurns: 2 },
      },
    },
  },
  assistants: { default: { model: 'auto', tools: ['calculator'] } },
} satisfies ConfigInput;
