/** The IAM action of each CloudTrail / Config operation doctor sends (S3 and KMS ones: IAM_ACTION). */
export const DOCTOR_IAM_ACTION = {
  DescribeTrails: 'cloudtrail:DescribeTrails',
  GetEventSelectors: 'cloudtrail:GetEventSelectors',
  GetTrailStatus: 'cloudtrail:GetTrailStatus',
  DescribeConfigurationRecorders: 'config:DescribeConfigurationRecorders',
  DescribeConfigurationRecorderStatus: 'config:DescribeConfigurationRecorderStatus',
} as const;
