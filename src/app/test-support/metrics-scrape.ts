import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { parsePrometheusText, type Sample } from './prometheus-text.js';

/** `GET /metrics` of the server at `url`, parsed; it must answer 200 in the text format. */
export async function scrapeMetrics(url: string): Promise<Sample[]> {
  const response = await fetch(`${url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await response.text());
}

/**
 * Scrapes until `ready` holds, or five seconds passed: turns are counted just after their
 * response has gone out.
 */
export async function scrapeMetricsWhen(
  url: string,
  ready: (samples: Sample[]) => boolean,
): Promise<Sample[]> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const samples = await scrapeMetrics(url);
    if (ready(samples) || Date.now() > deadline) return samples;
    await sleep(20);
  }
}
