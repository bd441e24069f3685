import { isAscii } from 'node:buffer';

/**
 * A log file's UTF-8 bytes as text (access logs, CloudTrail JSON). Logs are almost always ASCII,
 * and ASCII bytes decode to the same text as Latin-1, which is a plain copy: checking first and
 * copying is about twice as fast as decoding UTF-8 (measured on the logs bench); any other byte is
 * decoded as UTF-8.
 */
export function logText(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}
