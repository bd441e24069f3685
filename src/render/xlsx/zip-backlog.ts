import type { Worksheet } from 'exceljs';

/**
 * exceljs's streaming writer hands each sheet's XML to the zip (archiver) without looking at what the
 * zip has taken: its sheet stream writes into archiver's entry stream whatever that holds already. When
 * the XML is made faster than the zip deflates it, the rest waits there, in memory: some 130 MB at
 * 10,000 buckets. So a sheet waits, at its pauses, until the zip has taken all but MAX_BACKLOG of it.
 * Reaches into the writer's sheet stream (exceljs 4.x) and archiver's entry stream (readable-stream 2);
 * a sheet that has written rows and has neither is refused, so a changed exceljs is noticed.
 */

/** Bytes of sheet XML the zip may hold before the sheet waits. */
export const MAX_BACKLOG = 1 << 20;
/** How often a waiting sheet looks again (ms): the zip's own stream emits no 'drain' here. */
const LOOK_EVERY_MS = 2;
/** A zip that takes nothing for this long (ms) is not waited for: the sheet goes on, as before, rather than hang. */
const GIVE_UP_MS = 5_000;

interface EntryState {
  length: number;
  ended?: boolean;
  destroyed?: boolean;
}

/** The state of archiver's stream for the sheet's zip entry, once the sheet has written its first row. */
function entryState(sheet: Worksheet): EntryState | undefined {
  const stream = (sheet as unknown as { _stream?: { pipes?: unknown[] } })._stream;
  const entry = stream?.pipes?.[0] as { _writableState?: EntryState } | undefined;
  const state = entry?._writableState;
  return state && typeof state.length === 'number' ? state : undefined;
}

/**
 * Resolves once the zip holds at most `max` bytes of the sheet's XML (at once when it does already).
 * Called only after the sheet has committed rows, so its zip entry is open.
 */
export async function zipTakenUpTo(sheet: Worksheet, max = MAX_BACKLOG): Promise<void> {
  let held = Infinity;
  let since = performance.now();
  for (;;) {
    const state = entryState(sheet);
    if (!state)
      throw new Error('exceljs streaming writer: the zip entry stream of a sheet not found (exceljs changed?)');
    if (state.length <= max || state.ended === true || state.destroyed === true) return;
    if (state.length < held) {
      held = state.length;
      since = performance.now();
    } else if (performance.now() - since > GIVE_UP_MS) return;
    await new Promise<void>((resolve) => setTimeout(resolve, LOOK_EVERY_MS));
  }
}
