#!/usr/bin/env node
import { main } from './program.js';

void main(process.argv).then((code) => {
  process.exitCode = code;
});
