import { z } from 'zod';

/**
 * Monitoring: metrics, stats, traces, alerts and the dashboard. Each part is its own sub-key so
 * one can be turned off without touching the others.
 */

export const dashboardSchema = z
  .strictObject({
    /**
     * Serves the dashboard page at `/dashboard`. The page itself holds no data: it asks for an
     * admin key and reads the admin-only stats and alerts routes. Default true.
     */
    enabled: z.boolean().default(true),
  })
  .prefault({});

export const observeSchema = z
  .strictObject({
    dashboard: dashboardSchema,
  })
  .prefault({});

export type ObserveConfig = z.output<typeof observeSchema>;
