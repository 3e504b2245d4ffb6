import type { RampartConfig } from '../config/index.js';
import type { Logger } from '../core/logger.js';
import { accountingStage, configuredTargets, PriceBook, TokenCounter } from '../cost/index.js';
import type { TurnStage } from '../runtime/index.js';
import type { UsageLedger } from '../store/index.js';

/** What accounting gives the rest of the instance: one counter, one price book, its stage. */
export interface AccountingParts {
  tokens: TokenCounter;
  prices: PriceBook;
  stage: TurnStage;
}

/**
 * Builds the token counter with the encodings of every configured model loaded (a load blocks
 * the event loop briefly: better at start than mid-stream), the price book and the accounting
 * stage over the usage ledger.
 */
export async function accountingSetup(
  config: RampartConfig,
  ledger: UsageLedger,
  logger: Logger,
): Promise<AccountingParts> {
  const tokens = new TokenCounter();
  const loads = configuredTargets(config).map((target) =>
    tokens.prepare(target).catch((error: unknown) => {
      logger.warn({ err: error, model: target.model }, 'token encoding not loaded: estimating');
    }),
  );
  await Promise.all(loads);
  const prices = new PriceBook(config.pricing);
  return { tokens, prices, stage: accountingStage({ prices, ledger }) };
}
