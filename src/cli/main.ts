#!/usr/bin/env node
import { main } from './program.js';
import { endQuietlyOnClosedPipe } from './closed-pipe.js';
import { replaceSdkNodeWarning } from './runtime.js';

replaceSdkNodeWarning();
endQuietlyOnClosedPipe(process.stdout);
endQuietlyOnClosedPipe(process.stderr);
void main(process.argv).then((code) => {
  process.exitCode = code;
});
