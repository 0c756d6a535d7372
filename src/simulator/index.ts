export { createRng, mulberry32, encodeUlidTime, CROCKFORD, type Rng } from './random.js';
export {
  generateKeys,
  makeKey,
  isoSeconds,
  type SimKey,
  type SimOwner,
  type SimProjectScope,
  type SimBudget,
  type GenerateOptions,
} from './generator.js';
export {
  toShapeA,
  toShapeB,
  enumName,
  enumValue,
  STATUS_NAMES,
  PERMISSION_MODE_NAMES,
  LEGACY_FAMILY_NAMES,
  BUDGET_PERIOD_NAMES,
  type ShapeAItem,
  type ShapeBItem,
} from './shapes.js';
export {
  errorBody,
  defaultErrorCode,
  FaultQueue,
  type Fault,
  type FaultKind,
  type ErrorBodyForm,
  type StatusFault,
  type HangFault,
  type ResetFault,
  type InvalidJsonFault,
  type WrongShapeFault,
  type RepeatCursorFault,
  type EmptyHasMoreFault,
  type DuplicateIdsFault,
  type SlowFault,
  type RecordsFault,
} from './faults.js';
export { KeyIndex, parseListQuery, parseFilters, DEFAULT_LIMIT, MAX_LIMIT, type ListQuery, type Filters } from './listing.js';
export {
  startSimulator,
  DEFAULT_WORKSPACE_ID,
  type Simulator,
  type SimulatorOptions,
  type RecordedRequest,
  type Shape,
} from './server.js';
export { RateLimiter, type RateLimit } from './rate-limit.js';
