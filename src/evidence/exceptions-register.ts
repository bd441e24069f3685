/** The tenant's exceptions register as read (and frozen into the evidence at collection). */

export type ExceptionScope = { bucket: string; prefix?: string } | { key: string };

export interface ExceptionEntry {
  id: string;
  scope: ExceptionScope;
  control: string;
  reason: string;
  /** Absent or blank: the entry is ownerless (invalid). */
  owner?: string;
  ticket: string;
  approvedBy: string;
  /** YYYY-MM-DD */
  expires: string;
}

export interface RegisterEntry {
  /** 0-based position in the file's list. */
  index: number;
  id: string;
  /** What could be read of the entry, for the register listing. */
  fields: Partial<ExceptionEntry>;
  /** Present when the entry satisfies the schema. */
  entry?: ExceptionEntry;
  /** "<file>: exceptions[2].control: unknown control id …"; empty for a valid entry. */
  problems: string[];
  ownerless: boolean;
}

export interface ExceptionsRegister {
  file: string;
  /** false: no register file for this tenant (nothing is excepted). */
  exists: boolean;
  entries: RegisterEntry[];
}
