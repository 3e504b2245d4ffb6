export { pruningStage, type PruningStageOptions } from './pruning-stage.js';
export { countTokens } from './count-tokens.js';
export { fitContext, type ContextParts, type FitOutcome } from './fit-context.js';
export { extractFacts, factsOfTexts, type Fact, type FactKind } from './facts.js';
export { SUMMARY_STATE_KEY, type RunningSummary } from './running-summary.js';
