/** A mistake in how the tool was called or configured: the message says what to change (exit 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
