// The architecture of s3-evidence, as rules a tool checks (`npm run deps`, run by .ci/run).
// A folder name is a promise about what the code inside may know. Each rule below names one stage and
// the folders it may import from; anything else it imports is an error. There is no list of exceptions.
//
//   config ─► collect ─► evidence/ on disk ─► analyze (pure) ─► packet.json ─► render ─► PDF, XLSX, CSV
//
//   leaves    format/, wording/, util/, errors.ts, project-root.ts, tool.ts: imported by anyone; they
//             import only one another (wording finds its templates through project-root).
//   config/   the tenants file and the period: leaves only.
//   evidence/ every evidence type analyze consumes and the readers that load them (one loadBundle()):
//             config types and leaves.
//   model/    the Packet (packet.json's schema): leaves, and evidence types it cites (type-only).
//   workspace/ the evidence folder on disk (writing, hashing, the manifest): evidence, config, leaves.
//   collect/  talks to AWS or reads an offline tree and records what it got: config, evidence,
//             workspace, leaves. It judges nothing, so it never imports analyze.
//   analyze/  pure functions from evidence to the Packet: evidence, model, config (never config/load.ts),
//             leaves. No I/O: it never imports collect, workspace or render.
//   render/   Packet to PDF/XLSX/CSV: model, format, wording and libraries only. It never reads
//             evidence and never calls analysis; rows it needs come in the derived packet.
//   baseline/ the approved-state store: evidence, workspace, analyze, config, leaves.
//   pipeline/ ties the stages together (run, analyze a folder, verify): every stage and baseline,
//             never operate/, demo/ or cli/.
//   operate/, demo/  on top of the pipeline (doctor, publish, sign, lock, portfolio, the demo).
//   cli/      on top of everything; nothing imports it.

const LEAF = '^src/(format|wording|util)/|^src/(errors|packet-folder|project-root|tool)\\.ts$';
const leavesAnd = (...folders) => `^src/(${folders.join('|')})/|${LEAF}`;

/** One rule per stage: files under `from` may import only what `allowed` matches (within src/). */
const stage = (name, from, allowed, comment) => ({
  name,
  comment,
  severity: 'error',
  from: { path: from },
  to: { path: '^src/', pathNot: allowed },
});

/** For the top layers it is shorter to say what they may not import: the layers above them. */
const above = (name, from, forbidden, comment) => ({
  name,
  comment,
  severity: 'error',
  from: { path: from },
  to: { path: forbidden },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles, type-only ones included: a cycle means two modules are one.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-orphans',
      comment: 'A module nothing imports is dead code (entry points excepted: the CLI, the scan worker thread).',
      severity: 'error',
      from: {
        orphan: true,
        path: '^src/',
        pathNot: '^src/cli/main\\.ts$|^src/collect/workers/scan-worker\\.ts$|\\.d\\.ts$',
      },
      to: {},
    },
    {
      name: 'not-to-test',
      comment: 'Production code never imports test code.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
    stage('leaf', LEAF, LEAF, 'Leaves import only other leaves.'),
    stage('config', '^src/config/', leavesAnd('config'), 'config imports only leaves.'),
    stage('evidence', '^src/evidence/', leavesAnd('evidence', 'config'), 'evidence imports config types and leaves.'),
    stage('model', '^src/model/', leavesAnd('model', 'evidence'), 'model imports leaves and evidence types.'),
    {
      name: 'model-cites-evidence-types-only',
      comment: 'The packet schema may name evidence types, never evidence code.',
      severity: 'error',
      from: { path: '^src/model/' },
      to: { path: '^src/evidence/', dependencyTypesNot: ['type-only'] },
    },
    stage(
      'workspace',
      '^src/workspace/',
      leavesAnd('workspace', 'evidence', 'config'),
      'workspace imports evidence, config and leaves.',
    ),
    stage(
      'collect',
      '^src/collect/',
      leavesAnd('collect', 'config', 'evidence', 'workspace'),
      'collect records; it never judges (no analyze) and never renders.',
    ),
    stage(
      'analyze',
      '^src/analyze/',
      leavesAnd('analyze', 'evidence', 'model', 'config'),
      'analyze is pure: evidence and model in, no collect, workspace or render.',
    ),
    {
      name: 'analyze-reads-no-files',
      comment:
        "analyze is pure: evidence, registers and earlier packets are read by evidence/ or pipeline/ and passed in. (The controls' shipped YAML metadata is read once through project-root, not through the confined reader of other people's files.)",
      severity: 'error',
      from: { path: '^src/analyze/' },
      to: { path: '^src/util/confined-read\\.ts$' },
    },
    {
      name: 'analyze-never-loads-config',
      comment: 'analyze receives configuration as data (types, vocabularies, periods); it never reads the file.',
      severity: 'error',
      from: { path: '^src/analyze/' },
      to: { path: '^src/config/load\\.ts$' },
    },
    stage(
      'render',
      '^src/render/',
      '^src/(render|model|format|wording)/',
      'render reads the packet only: model, format, wording.',
    ),
    stage(
      'baseline',
      '^src/baseline/',
      leavesAnd('baseline', 'evidence', 'workspace', 'analyze', 'config', 'model'),
      'baseline stores approved states; it sits beside the pipeline, under it.',
    ),
    above(
      'pipeline',
      '^src/pipeline/',
      '^src/(cli|operate|demo)/',
      'pipeline ties stages together; operate, demo and cli sit on top of it.',
    ),
    above('operate', '^src/(operate|demo)/', '^src/cli/', 'operate and demo never import the command line.'),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^(src|bench|test)/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.test.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
