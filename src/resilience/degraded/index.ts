export {
  DegradedAnswers,
  type AnswerContext,
  type DegradedAnswersOptions,
} from './degraded-answers.js';
export { estimateComplexity, type Complexity } from './complexity.js';
export { answerKey } from './answer-key.js';
