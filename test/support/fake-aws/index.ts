/** A local endpoint that answers in AWS's wire formats (S3 REST-XML, KMS / CloudTrail / Config JSON 1.1, STS query). */
export { startFakeAws, type FakeAws } from './server.js';
export { Recorder, type ReceivedCall } from './recorder.js';
export { keyArn, type Fault, type FakeAccount, type FakeBucket, type FakeKey, type FakeTrail, type FakeConfigRecorder, type FakeConfigRule, type FakeConfigItem, type FakeCloudTrailEvent, type FakeUpload, type Scenario, type Service } from './scenario.js';
export { trailArn } from './cloudtrail.js';
