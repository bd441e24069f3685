/**
 * Where Athena (Trino) and DuckDB spell the same thing differently. The aggregation statements are
 * written once (inventory-sql.ts, access-log-sql.ts, cloudtrail-sql.ts) and take one of these; everything else
 * in them is SQL both engines read alike. DuckDB runs them over local trees in the equivalence suite
 * and behind the fake Athena endpoint; Athena runs them in the tenant's account.
 */
export interface SqlDialect {
  readonly name: 'athena' | 'duckdb';
  /** A timestamp-with-zone literal of an ISO-8601 UTC instant. */
  instant(iso: string): string;
  /** The access log's bracketed time (dd/Mon/yyyy:HH:MM:SS ±hhmm) as a timestamp with zone; NULL when it is not one. */
  accessLogTime(column: string): string;
  /** A CloudTrail eventTime (ISO-8601 UTC, e.g. 2026-10-05T09:12:03Z) as a timestamp with zone; NULL when it is not one. */
  isoTime(column: string): string;
  /** The calendar day (yyyy-MM-dd) of a timestamp with zone, in an IANA zone. */
  dayIn(expr: string, zone: string): string;
  /** Milliseconds since the epoch of a timestamp (with or without zone, UTC), as BIGINT. */
  epochMillis(expr: string): string;
  /** A JSON text's member at the path of `keys` (e.g. ['encryptionContext', 'aws:s3:arn']), as text; NULL when absent. */
  jsonText(json: string, keys: readonly string[]): string;
  /** CloudTrail's resources (array of {arn, accountid, type}) as text: `type=arn` per resource, space-separated; NULL when absent. */
  resourcesText(column: string): string;
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Trino's JSON path: $.a for a plain name, $["a:b"] for any other. */
const trinoPath = (keys: readonly string[]) =>
  `$${keys.map((k) => (PLAIN_KEY.test(k) ? `.${k}` : `["${k.replace(/"/g, '')}"]`)).join('')}`;
/** DuckDB's JSON path: $.a, or $."a:b" for a name that is not plain. */
const duckdbPath = (keys: readonly string[]) =>
  `$${keys.map((k) => (PLAIN_KEY.test(k) ? `.${k}` : `."${k.replace(/"/g, '')}"`)).join('')}`;
const RESOURCE_TEXT = `r -> concat(coalesce(r.type, ''), '=', coalesce(r.arn, ''))`;

export const ATHENA: SqlDialect = {
  name: 'athena',
  instant: (iso) => `from_iso8601_timestamp(${quote(iso)})`,
  accessLogTime: (c) => `try(parse_datetime(${c}, 'dd/MMM/yyyy:HH:mm:ss Z'))`,
  isoTime: (c) => `try(from_iso8601_timestamp(${c}))`,
  dayIn: (e, zone) => `format_datetime(${e} AT TIME ZONE ${quote(zone)}, 'yyyy-MM-dd')`,
  epochMillis: (e) => `CAST(to_unixtime(${e}) * 1000 AS BIGINT)`,
  jsonText: (json, keys) => `json_extract_scalar(${json}, ${quote(trinoPath(keys))})`,
  resourcesText: (c) => `array_join(transform(${c}, ${RESOURCE_TEXT}), ' ')`,
};

export const DUCKDB: SqlDialect = {
  name: 'duckdb',
  instant: (iso) => `CAST(${quote(iso)} AS TIMESTAMPTZ)`,
  accessLogTime: (c) => `try_strptime(${c}, '%d/%b/%Y:%H:%M:%S %z')`,
  isoTime: (c) => `TRY_CAST(${c} AS TIMESTAMPTZ)`,
  dayIn: (e, zone) => `strftime(${e} AT TIME ZONE ${quote(zone)}, '%Y-%m-%d')`,
  epochMillis: (e) => `epoch_ms(${e})`,
  jsonText: (json, keys) => `json_extract_string(${json}, ${quote(duckdbPath(keys))})`,
  resourcesText: (c) => `array_to_string(list_transform(${c}, ${RESOURCE_TEXT}), ' ')`,
};

/** A SQL string literal. */
export function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A quoted identifier ("name"), both engines' spelling. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A list of SQL string literals, for IN (…); an empty list matches nothing. */
export function quoteList(values: readonly string[]): string {
  return values.length === 0 ? 'NULL' : values.map(quote).join(', ');
}

/** A LIMIT's value: a positive whole number, never text from elsewhere. */
export function sqlLimit(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new Error(`a query's limit must be a whole number >= 1, not ${limit}`);
  return limit;
}
