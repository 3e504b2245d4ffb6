/**
 * The guard: input checks against prompt injection, output filtering (streaming redaction and
 * system-prompt leak detection), and the stages that put them in every turn.
 */
export {
  createInjectionDetector,
  warmUp,
  normaliseForDetection,
  type InjectionDetector,
  type InjectionDetectorOptions,
  type InjectionReason,
  type InjectionVerdict,
} from './input/index.js';
export {
  findSensitive,
  redactText,
  StreamRedactor,
  type Finding,
  type RedactionOptions,
  type SensitiveType,
} from './redact/index.js';
export {
  createCanary,
  detectLeak,
  LeakMonitor,
  withCanary,
  type LeakOptions,
  type LeakVerdict,
} from './leak/index.js';
export {
  InputScreen,
  type InjectionSource,
  type InputAction,
  type ScreenVerdict,
} from './input-screen.js';
export { createExternalClassifier, type ExternalClassifier } from './external-classifier.js';
export { guardInputStage } from './input-stage.js';
export { guardOutputStage, type OutputStageOptions } from './output-stage.js';
export { toolResultScreen } from './tool-result-screen.js';
export { outputEngines } from './engines.js';
export { fenceAsData } from './fence.js';
