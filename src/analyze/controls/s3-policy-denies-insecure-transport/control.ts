import type { Control } from '../control.js';
import { enforcementJudgement } from '../enforcement-judgement.js';
import { bucketEvidence } from '../../bucket-evidence.js';

export const control: Control = {
  id: 's3-policy-denies-insecure-transport',
  scope: 'buckets',
  evaluate: ({ buckets }) =>
    buckets.map((b) => enforcementJudgement(b.name, b.tlsEnforcement, bucketEvidence(b, 'policy'))),
};
