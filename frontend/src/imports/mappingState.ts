import type { ImportKind, ImportRunFieldsFragment, SetImportMappingInput } from '../gql/graphql';

type ImportFileInfo = ImportRunFieldsFragment['files'][number];

/** A file's mapping as edited on the page: field -> column, constants, date formats. */
export interface FileMapping {
  columns: Record<string, string>;
  constants: Record<string, string>;
  dateFormats: Record<string, string>;
}

/** Formats the API names (anything else is a pattern such as `dd-mm-yyyy hh:mm` or a strptime format). */
export const DATE_FORMAT_PRESETS = ['dmy', 'mdy', 'ymd', 'yyyymmdd', 'excel'] as const;

/** The two readings an ambiguous date column is asked to choose between. */
export const DATE_ANSWERS = ['dmy', 'mdy'] as const;

function pairs<K extends string>(list: readonly ({ field: string } & Record<K, string>)[], key: K): Record<string, string> {
  return Object.fromEntries(list.map((p) => [p.field, p[key]]));
}

/** The mapping a file starts with on the page: the one in use, else the suggestions. */
export function fileMapping(file: ImportFileInfo): FileMapping {
  return {
    columns: file.mapping.length ? pairs(file.mapping, 'column') : pairs(file.suggestions, 'column'),
    constants: pairs(file.constants, 'value'),
    dateFormats: pairs(file.dateFormats, 'value'),
  };
}

/** The same record with `key` set to `value`, or without `key` when the value is blank. */
export function withValue(record: Record<string, string>, key: string, value: string | undefined | null): Record<string, string> {
  const next = { ...record };
  const trimmed = value?.trim();
  if (trimmed) next[key] = trimmed;
  else delete next[key];
  return next;
}

/** The setImportMapping input of one file; a date format only for a field mapped to a column. */
export function mappingInput(runId: string, fileId: string, kind: ImportKind, mapping: FileMapping): SetImportMappingInput {
  const entries = (record: Record<string, string>) =>
    Object.entries(record)
      .filter(([, value]) => value.trim() !== '')
      .map(([field, value]) => ({ field, value: value.trim() }));
  return {
    runId,
    fileId,
    kind,
    mapping: Object.entries(mapping.columns).map(([field, column]) => ({ field, column })),
    constants: entries(mapping.constants),
    dateFormats: entries(mapping.dateFormats).filter((d) => d.field in mapping.columns),
  };
}

/** A question of the mapping, read from the API's text `field ('column'): what to choose`. */
export interface Question {
  text: string;
  field: string | null;
  column: string | null;
  /** Every date reads both day-first and month-first: answered with a date format (dmy or mdy). */
  ambiguousDate: boolean;
}

const QUESTION = /^([A-Za-z_][\w]*) \((['"])(.*)\2\): (.*)$/s;

export function parseQuestion(text: string): Question {
  const match = QUESTION.exec(text);
  if (!match) return { text, field: null, column: null, ambiguousDate: false };
  const [, field, , column, rest] = match;
  return { text, field, column, ambiguousDate: /\bdmy\b/.test(rest) && /\bmdy\b/.test(rest) };
}

/** Counts of a run report, in the order shown; `excluded` (cancelled lines) only if the API gives it. */
export const REPORT_COUNTS = ['rows', 'imported', 'fixed', 'duplicates', 'rejected', 'excluded', 'actuals_written'] as const;
export type ReportCount = (typeof REPORT_COUNTS)[number];

export function reportCounts(counts: unknown): { key: ReportCount; value: number }[] {
  if (!counts || typeof counts !== 'object') return [];
  const record = counts as Record<string, unknown>;
  return REPORT_COUNTS.filter((key) => typeof record[key] === 'number').map((key) => ({ key, value: record[key] as number }));
}
