export { buildDriftSection } from './section.js';
export { diffSnapshots } from './diff.js';
export { canonicalPolicy, policiesEquivalent } from './canonical.js';
export { diffStatements } from './statements.js';
