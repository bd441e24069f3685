/** A local endpoint that answers in AWS's wire formats (S3 REST-XML, S3 Express One Zone and S3 Tables, KMS / CloudTrail / Config JSON 1.1, STS query). */
export { startFakeAws, type FakeAws } from './server.js';
export { type ReceivedCall } from './recorder.js';
export {
  type Fault,
  type FakeAccount,
  type FakeBucket,
  type FakeKey,
  type FakeTableBucket,
  type FakeDirectoryBucket,
  type FakeConfigRule,
  type FakeConfigItem,
  type FakeCloudTrailEvent,
  type Scenario,
  type Service,
} from './scenario.js';
