import v8 from 'node:v8';

/**
 * Node 22 LTS is the supported runtime. On an older Node the tool still runs (CI tests it on the machine's
 * Node 20), but says so once in its own words instead of the AWS SDK's nine-line warning on every run:
 * the SDK's is switched off, and this notice goes where the operator looks (a terminal run's end, the
 * `--json` summary), never into a cron run's output.
 */
const SUPPORTED_NODE_MAJOR = 22;

function majorOf(version: string): number {
  return Number.parseInt(version.replace(/^v/, '').split('.')[0] ?? '', 10);
}

/** The notice for `version`, or undefined on a supported Node. */
export function runtimeNotice(version: string = process.version): string | undefined {
  if (majorOf(version) >= SUPPORTED_NODE_MAJOR) return undefined;
  return `Node ${version} is past its end of life; the supported runtime is Node ${SUPPORTED_NODE_MAJOR} LTS (AWS SDK releases from January 2027 require it)`;
}

/** Switches the SDK's own warning off on an old Node (unless the operator set the variable), since runtimeNotice says it. */
export function replaceSdkNodeWarning(env: NodeJS.ProcessEnv = process.env, version: string = process.version): void {
  if (runtimeNotice(version) && env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED === undefined)
    env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
}

/**
 * How far V8 lets the old generation grow past the live heap before its next full collection, in
 * percent. A run's memory is mostly short-lived rows (inventory records, CSV and workbook rows) that
 * outlive a scavenge or two; by default V8 lets them pile up to about four times the live heap
 * before collecting, which put the render of a 5 M-row tenant at ~260 MB RSS for ~50 MB live.
 * Half again the live heap keeps it near 200 MB for a few percent more CPU (bench/inventory.ts).
 */
const HEAP_GROWING_PERCENT = 50;

/** Sets V8's heap growth for this process and its worker threads (a GC heuristic: outputs do not change). */
export function keepHeapGrowthLow(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
