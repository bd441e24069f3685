/** What a reader that went away (`verify … | head`) does to the process: it ends, without a word. */
export const CLOSED_PIPE_EXIT = 141;

interface OutputStream {
  on(event: 'error', listener: (err: NodeJS.ErrnoException) => void): unknown;
}

/**
 * Ends the process quietly when `stream`'s reader has closed the pipe (EPIPE), with the exit code a
 * shell reports for a command ended by SIGPIPE (128 + 13), as `cat file | head` does: the command
 * did not finish its work, and `set -o pipefail` scripts can tell. Any other stream error is rethrown.
 */
export function endQuietlyOnClosedPipe(
  stream: OutputStream,
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') exit(CLOSED_PIPE_EXIT);
    else throw err;
  });
}
