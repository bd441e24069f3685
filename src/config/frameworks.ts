/**
 * The framework mappings a configuration may select, by id (the file name under frameworks/ without
 * .yaml). A static list so the configuration is validated without reading files; a test keeps it equal
 * to the folder.
 */
export const FRAMEWORK_IDS = [
  'aws-fsbp-v1.0.0',
  'cbc-aws-s3',
  'cis-aws-foundations-v1.4.0',
  'cis-aws-foundations-v3.0.0',
  'cis-aws-foundations-v4.0.1',
  'cis-aws-foundations-v5.0.0',
  'cis-aws-foundations-v7.0.0',
  'hipaa-security-rule',
  'iso-27001-2022',
  'nist-800-53-r5',
  'pci-dss-v4.0.1',
  'soc2-tsc-2017',
] as const;

export type FrameworkId = (typeof FRAMEWORK_IDS)[number];

/** Shown when neither the tenant nor the configuration names frameworks: the current CIS, NIST 800-53 and SOC 2. */
export const DEFAULT_FRAMEWORKS: readonly FrameworkId[] = ['cis-aws-foundations-v7.0.0', 'nist-800-53-r5', 'soc2-tsc-2017'];

/**
 * What packets collected before frameworks were selectable were made with (every file there was, in
 * their order then). Evidence whose tenant.json names no frameworks is re-derived with these, so an
 * issued packet keeps its mapping.
 */
export const LEGACY_FRAMEWORKS: readonly FrameworkId[] = ['cis-aws-foundations-v1.4.0', 'nist-800-53-r5', 'cbc-aws-s3'];

/** Versions of one framework share a family (the id without its version); a packet shows one version of each. */
export function frameworkFamily(id: string): string {
  return id.replace(/-v\d+(\.\d+)*$/, '');
}
