import { describe, expect, it } from 'vitest';
import { fileMapping, mappingInput, parseQuestion, reportCounts, withValue } from './mappingState';

const QUESTION =
  "date ('Order Date'): every date in this column reads both as day/month/year and as month/day/year (no day above 12): choose dmy or mdy";

describe('parseQuestion', () => {
  it('reads the field and column of an ambiguous date column', () => {
    expect(parseQuestion(QUESTION)).toEqual({ text: QUESTION, field: 'date', column: 'Order Date', ambiguousDate: true });
  });

  it('reads a column whose name holds a quote (Python repr in double quotes)', () => {
    const q = parseQuestion(`hire_date ("Rep's start"): choose dmy or mdy`);
    expect([q.field, q.column, q.ambiguousDate]).toEqual(['hire_date', "Rep's start", true]);
  });

  it('keeps any other question as text', () => {
    expect(parseQuestion('map a column to rep or territory')).toEqual({
      text: 'map a column to rep or territory',
      field: null,
      column: null,
      ambiguousDate: false,
    });
    expect(parseQuestion("rep ('Seller'): pick one").ambiguousDate).toBe(false);
  });
});

describe('mapping of a file', () => {
  const file = {
    id: '4',
    fileName: 'orders.csv',
    sizeBytes: 10,
    kind: 'SALES_LINES' as const,
    columns: ['Order Date', 'Seller', 'Net'],
    mapping: [] as { field: string; column: string }[],
    constants: [{ field: 'status', value: 'won' }],
    dateFormats: [{ field: 'date', value: 'dmy' }],
    questions: [],
    suggestions: [
      { field: 'date', column: 'Order Date', score: 90 },
      { field: 'amount', column: 'Net', score: 80 },
    ],
  };

  it('starts from the mapping in use, else the suggestions, with its constants and date formats', () => {
    expect(fileMapping(file)).toEqual({
      columns: { date: 'Order Date', amount: 'Net' },
      constants: { status: 'won' },
      dateFormats: { date: 'dmy' },
    });
    expect(fileMapping({ ...file, mapping: [{ field: 'rep', column: 'Seller' }] }).columns).toEqual({ rep: 'Seller' });
  });

  it('builds the setImportMapping input: blank values dropped, date formats only of mapped fields', () => {
    const input = mappingInput('9', '4', 'SALES_LINES', {
      columns: { date: 'Order Date', amount: 'Net' },
      constants: { status: ' won ', region: '' },
      dateFormats: { date: 'dd-mm-yyyy hh:mm', hire_date: 'dmy' },
    });
    expect(input).toEqual({
      runId: '9',
      fileId: '4',
      kind: 'SALES_LINES',
      mapping: [
        { field: 'date', column: 'Order Date' },
        { field: 'amount', column: 'Net' },
      ],
      constants: [{ field: 'status', value: 'won' }],
      dateFormats: [{ field: 'date', value: 'dd-mm-yyyy hh:mm' }],
    });
  });

  it('sets or clears one value', () => {
    expect(withValue({ a: '1' }, 'b', ' 2 ')).toEqual({ a: '1', b: '2' });
    expect(withValue({ a: '1', b: '2' }, 'b', '')).toEqual({ a: '1' });
    expect(withValue({ a: '1' }, 'a', undefined)).toEqual({});
  });
});

describe('reportCounts', () => {
  it('lists the totals in order, excluded only when the report has it', () => {
    const counts = { rejected: 1, rows: 5, imported: 3, excluded: 1, changes: 4, entities: {} };
    expect(reportCounts(counts)).toEqual([
      { key: 'rows', value: 5 },
      { key: 'imported', value: 3 },
      { key: 'rejected', value: 1 },
      { key: 'excluded', value: 1 },
    ]);
    expect(reportCounts({ rows: 2, imported: 2 }).map((c) => c.key)).toEqual(['rows', 'imported']);
    expect(reportCounts(null)).toEqual([]);
  });
});
