import type { Control } from '../control.js';

export const control: Control = {
  id: 'kms-customer-keys-rotate',
  scope: 'keys',
  evaluate: ({ keys }) =>
    keys.map((k) => {
      const resource = k.alias ?? k.arn ?? k.reference;
      // The verdict comes from DescribeKey and GetKeyRotationStatus; the key policy is not part of it.
      const evidence = k.evidence.filter((f) => !f.endsWith('/get-key-policy.json'));
      switch (k.rotation.state) {
        case 'enabled':
          return {
            resource,
            verdict: 'pass',
            reason: `automatic rotation on${k.rotation.periodDays ? `, every ${k.rotation.periodDays} days` : ''}`,
            evidence,
          };
        case 'disabled':
          return {
            resource,
            verdict: 'fail',
            reason: 'automatic rotation is off for this customer-managed key',
            evidence,
          };
        case 'aws_managed':
          return {
            resource,
            verdict: 'not_applicable',
            reason: 'AWS-managed key: AWS rotates it every year',
            evidence,
          };
        case 'not_supported':
          return {
            resource,
            verdict: 'not_applicable',
            reason: `key material of origin ${k.rotation.origin} is not rotated automatically by KMS (on-demand rotation or a new key instead)`,
            evidence,
          };
        case 'unreadable':
          return { resource, verdict: 'not_evaluated', reason: `key unreadable (${k.rotation.errorCode})`, evidence };
      }
    }),
};
