import { request } from 'undici';
import type { Logger } from '../core/index.js';
import type { InjectionSource } from './input-screen.js';

/** The external service's answer, as the screen uses it. */
export interface ExternalVerdict {
  attack: boolean;
  score: number;
  /** `external-classifier`, or `external-classifier-unavailable` when it failed. */
  rule: string;
  /** True when the service could not be asked: the verdict is not remembered. */
  failed: boolean;
}

export interface ExternalClassifier {
  classify(text: string, source: InjectionSource): Promise<ExternalVerdict>;
}

export interface ExternalClassifierOptions {
  url: string;
  headers: Readonly<Record<string, string>>;
  timeoutMs: number;
  threshold: number;
  onError: 'allow' | 'block';
  logger: Logger;
}

/** Largest answer read from the service: a score needs a few bytes. */
const MAX_ANSWER_BYTES = 64 * 1024;

async function askService(
  text: string,
  source: InjectionSource,
  options: ExternalClassifierOptions,
) {
  const response = await request(options.url, {
    method: 'POST',
    headers: { ...options.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ text, source }),
    signal: AbortSignal.timeout(options.timeoutMs),
  });
  const body = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`status ${response.statusCode}`);
  if (body.length > MAX_ANSWER_BYTES) throw new Error('answer too large');
  const parsed = JSON.parse(body) as { score?: unknown };
  const score = parsed.score;
  if (typeof score !== 'number' || !(score >= 0 && score <= 1)) {
    throw new Error('answer has no score between 0 and 1');
  }
  return score;
}

/**
 * A classifier service over HTTP: `POST {"text", "source"}` answered with `{"score"}`. A
 * failure or timeout follows `onError`: `allow` leaves the decision to the local checks.
 */
export function createExternalClassifier(options: ExternalClassifierOptions): ExternalClassifier {
  return {
    async classify(text, source) {
      try {
        const score = await askService(text, source, options);
        return {
          attack: score >= options.threshold,
          score,
          rule: 'external-classifier',
          failed: false,
        };
      } catch (error) {
        options.logger.warn(
          { err: error, url: options.url },
          'external injection classifier failed',
        );
        const attack = options.onError === 'block';
        const rule = 'external-classifier-unavailable';
        return { attack, score: attack ? 1 : 0, rule, failed: true };
      }
    },
  };
}
