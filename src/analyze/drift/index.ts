export { buildDriftSection, approveCommand, sortDriftItems } from './section.js';
export { diffSnapshots } from './diff.js';
export { canonicalPolicy, policiesEquivalent, stableStringify, type CanonicalPolicy, type CanonicalStatement } from './canonical.js';
export { diffStatements, type StatementChange } from './statements.js';
export { enforcementOf, weakenings, type Weakening } from './enforcement.js';
export type { DriftItem, DriftKind, DriftSection, DriftSeverity } from '../../model/governance-sections.js';
