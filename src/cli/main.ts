#!/usr/bin/env node
import { main } from './program.js';
import { endQuietlyOnClosedPipe } from './closed-pipe.js';
import { keepHeapGrowthLow, replaceSdkNodeWarning } from './runtime.js';

keepHeapGrowthLow();
replaceSdkNodeWarning();
endQuietlyOnClosedPipe(process.stdout);
endQuietlyOnClosedPipe(process.stderr);
void main(process.argv).then((code) => {
  process.exitCode = code;
});
