import { execFileSync } from 'node:child_process';
import net from 'node:net';

/** Creates a named pipe (FIFO) at `file`: opening it for reading would wait for a writer for ever. */
export function makeFifo(file: string): void {
  execFileSync('mkfifo', [file]);
}

/**
 * Creates a character device at `file` (the same device as /dev/zero, endless bytes) when this
 * process may (root, as CI runs), else a Unix socket: both are special files the tool must refuse.
 * Returns the kind the refusal should name.
 */
export async function makeDeviceOrSocket(file: string): Promise<string> {
  if (process.getuid?.() === 0) {
    execFileSync('mknod', [file, 'c', '1', '5']);
    return 'a character device';
  }
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(file, resolve));
  server.unref();
  return 'a socket';
}
