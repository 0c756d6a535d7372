export { createRng, mulberry32, encodeUlidTime, unitHash, CROCKFORD, type Rng } from './random.js';
export { isoSeconds, periodStart, MINUTE, HOUR, DAY } from './time.js';
export {
  generateKeys,
  drawKeys,
  makeKey,
  type SimKey,
  type SimOwner,
  type SimProjectScope,
  type SimBudget,
  type SimUsage,
  type SimAlert,
  type GenerateOptions,
  type DrawnKeys,
} from './generator.js';
export { generateWorkspace, type SimWorkspace } from './workspace.js';
export { deriveProjects, titleOf, type SimProject } from './projects.js';
export {
  keyBudgetRecord,
  derivedBudgetId,
  derivedUsage,
  scopeKindOf,
  scopeTargetOf,
  SCOPE_KIND_VALUES,
  type SimBudgetRecord,
  type SimBudgetScope,
  type SimBudgetScopeKind,
} from './budgets.js';
export {
  enumName,
  enumValue,
  enumConstant,
  parseEnumParam,
  STATUS_NAMES,
  PERMISSION_MODE_NAMES,
  LEGACY_FAMILY_NAMES,
  BUDGET_PERIOD_NAMES,
  OWNER_TYPE_NAMES,
  ALERT_DIMENSION_NAMES,
  SCOPE_KIND_NAMES,
  STATUS,
  PERMISSION_MODE,
  LEGACY_FAMILY,
  BUDGET_PERIOD,
  OWNER_TYPE,
  ALERT_DIMENSION,
  SCOPE_KIND,
  BUDGET_SORT,
  type EnumTable,
} from './enums.js';
export {
  WIRE_VARIANTS,
  ZERO_FAMILY_SPELLINGS,
  zeroFamilySpelling,
  sdkExpiryField,
  rcExpiryField,
  maskedToken,
  keySource,
  type WireVariant,
  type ZeroFamilySpelling,
} from './wire.js';
export { toReference, type ReferenceItem } from './render-reference.js';
export { toSdk, type SdkItem } from './render-sdk.js';
export { toRc, type RcItem } from './render-rc.js';
export { toBudget, toEmbeddedBudget, type BudgetItem, type EmbeddedBudget, type BudgetScopeItem } from './render-budgets.js';
export { toProject, type ProjectItem } from './render-projects.js';
export {
  FaultQueue,
  FaultScript,
  ENDPOINTS,
  type Endpoint,
  type Fault,
  type FaultKind,
  type StatusFault,
  type HangFault,
  type ResetFault,
  type InvalidJsonFault,
  type WrongShapeFault,
  type RepeatCursorFault,
  type EmptyHasMoreFault,
  type DuplicateIdsFault,
  type IgnoreLimitFault,
  type IgnoreCursorFault,
  type SlowFault,
  type RecordsFault,
} from './faults.js';
export { errorBody, errorReply, defaultErrorCode, type ErrorBodyForm, type Reply } from './reply.js';
export { DEFAULT_LIMIT, MAX_LIMIT, RankedList, paginate, parsePageRequest, type Page, type PageRequest, type Alteration } from './listing.js';
export { KeyIndex, parseKeyFilters, keyMatches, type KeyFilters } from './key-listing.js';
export { BudgetIndex, parseBudgetQuery, type BudgetFilters, type BudgetQuery } from './budget-listing.js';
export { defaultIncludeBudget, type IncludeBudgetMode } from './replies.js';
export {
  startSimulator,
  DEFAULT_WORKSPACE_ID,
  type Simulator,
  type SimulatorOptions,
  type RecordedRequest,
  type LegacyShape,
} from './server.js';
export { RateLimiter, type RateLimit } from './rate-limit.js';
