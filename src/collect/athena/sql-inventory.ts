import type { InventoryProblem } from '../../evidence/inventory.js';
import { decodeInventoryKey } from '../inventory/csv-rows.js';
import { InventoryTotals, STATUS_EMPTY, statusIndexOf } from '../inventory/tally.js';
import type { UnencryptedRow } from '../../evidence/unencrypted-csv.js';
import {
  BAD_SIZE,
  DELETE_MARKER,
  OTHER_BUCKET,
  inventoryTallySql,
  isEncryptionStatus,
  snakeColumn,
  unencryptedObjectsSql,
  type InventoryRelation,
} from './inventory-sql.js';
import { allRows, type InventoryTableSpec, type SqlEngine, type SqlRow } from './sql-engine.js';

export interface SqlInventoryArgs {
  engine: SqlEngine;
  table: Omit<InventoryTableSpec, 'columns'> & { fileSchema: string[] };
  totals: InventoryTotals;
}

/**
 * Counts one inventory report with SQL (tally, then the NOT-SSE list into `totals`): what the streaming
 * engine counts, row for row. Rows the streaming engine would name as problems (another bucket's,
 * a size that is no byte count, an unknown EncryptionStatus, a key that is not URL encoding) are
 * problems here too, counted per kind; a query that does not succeed throws QueryFailed.
 */
export async function countInventoryWithSql(args: SqlInventoryArgs): Promise<InventoryProblem[]> {
  const { engine, table, totals } = args;
  const columns = table.format === 'csv' ? table.fileSchema.map(snakeColumn) : table.fileSchema;
  const relation = await engine.inventoryTable({ ...table, columns });
  const rel: InventoryRelation = { relation, format: table.format, columns, dt: table.dt, bucket: table.bucket };
  const where = `${table.configLocation} (dt=${table.dt})`;
  const problems: InventoryProblem[] = [];

  for (const row of await allRows(engine.query(inventoryTallySql(rel), 'inventory tally'))) {
    const rowClass = row.row_class ?? '';
    const objects = count(row.objects);
    const bytes = count(row.bytes);
    if (rowClass === DELETE_MARKER) totals.deleteMarkers += objects;
    else if (rowClass === OTHER_BUCKET)
      problems.push({
        file: where,
        message: `${objects} row(s) of another bucket than ${table.bucket} are not counted`,
      });
    else if (rowClass === BAD_SIZE)
      problems.push({ file: where, message: `${objects} row(s) whose Size is not a byte count` });
    else if (statusIndexOf(rowClass) === STATUS_EMPTY) {
      totals.unknownStatus.objects += objects;
      totals.unknownStatus.bytes += bytes;
    } else if (isEncryptionStatus(rowClass)) {
      const i = statusIndexOf(rowClass);
      totals.objects[i]! += objects;
      totals.bytes[i]! += bytes;
    } else problems.push({ file: where, message: `${objects} row(s) with unknown EncryptionStatus "${rowClass}"` });
  }

  let badKeys = 0;
  for await (const page of engine.query(unencryptedObjectsSql(rel, engine.dialect), 'inventory unencrypted objects')) {
    for (const row of page) {
      const listed = unencryptedRow(row, table.format, table.bucket);
      if (listed === null) badKeys++;
      else totals.addUnencrypted(listed);
    }
    if (totals.unencrypted.needsFlush) await totals.unencrypted.flush();
  }
  if (badKeys > 0)
    problems.push({ file: where, message: `${badKeys} NOT-SSE row(s) whose Key is empty or not valid URL encoding` });
  return problems;
}

function count(text: string | null | undefined): number {
  const n = Number(text ?? '0');
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`the engine answered "${String(text)}" where a count belongs`);
  return n;
}

/** A row of unencryptedObjectsSql as the streaming engine lists it; null when its key cannot be decoded. */
function unencryptedRow(row: SqlRow, format: InventoryTableSpec['format'], bucket: string): UnencryptedRow | null {
  const raw = row.object_key;
  if (raw === null || raw === undefined) return null;
  let key = raw;
  if (format === 'csv') {
    try {
      key = decodeInventoryKey(raw);
    } catch {
      return null;
    }
  }
  const modified = row.last_modified;
  const lastModified =
    modified === null || modified === undefined || modified === ''
      ? undefined
      : format === 'csv'
        ? modified
        : new Date(Number(modified)).toISOString();
  return {
    bucket: row.bucket ?? bucket,
    key,
    ...(row.version_id ? { versionId: row.version_id } : {}),
    ...(row.is_latest === 'true' || row.is_latest === 'false' ? { isLatest: row.is_latest === 'true' } : {}),
    size: count(row.size_bytes),
    ...(lastModified ? { lastModified } : {}),
    ...(row.storage_class ? { storageClass: row.storage_class } : {}),
    encryptionStatus: 'NOT-SSE',
  };
}
