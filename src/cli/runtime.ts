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
