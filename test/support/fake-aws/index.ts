/** A local endpoint that answers in AWS's wire formats (S3 REST-XML, KMS JSON 1.1, STS query). */
export { startFakeAws, type FakeAws } from './server.js';
export { Recorder, type ReceivedCall } from './recorder.js';
export { keyArn, type Fault, type FakeAccount, type FakeBucket, type FakeKey, type Scenario, type Service } from './scenario.js';
