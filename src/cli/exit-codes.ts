/** The process exit codes schedulers act on. */
export const EXIT = {
  /** every packet complete */
  complete: 0,
  /** unexpected failure (or, for verify, a packet that did not verify) */
  unexpected: 1,
  /** usage or configuration error */
  usage: 2,
  /** at least one packet incomplete: some evidence missing or unreadable */
  incomplete: 3,
} as const;
