import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import i18n from '../../i18n/index';
import { MappingCard } from './MappingCard';

const QUESTION =
  "date ('Order Date'): every date in this column reads both as day/month/year and as month/day/year (no day above 12): choose dmy or mdy";

const kinds = [
  {
    kind: 'SALES_LINES' as const,
    description: 'Order or invoice lines',
    fields: [
      { name: 'date', type: 'date', required: true, description: 'Order date' },
      { name: 'amount', type: 'number', required: true, description: 'Net amount' },
      { name: 'status', type: 'text', required: false, description: 'Status' },
    ],
  },
  { kind: 'CRM' as const, description: 'Deals', fields: [] },
];

const file = {
  id: '4',
  fileName: 'orders.csv',
  sizeBytes: 10,
  kind: 'SALES_LINES' as const,
  columns: ['Order Date', 'Net', 'State'],
  mapping: [],
  constants: [],
  dateFormats: [],
  questions: [QUESTION],
  suggestions: [{ field: 'date', column: 'Order Date', score: 90 }],
};

function setup(overrides: Partial<Parameters<typeof MappingCard>[0]> = {}) {
  const props = {
    file,
    kinds,
    kind: 'SALES_LINES' as const,
    mapping: { columns: { date: 'Order Date', amount: 'Net' }, constants: { status: 'won' }, dateFormats: { date: 'dd-mm-yyyy hh:mm' } },
    questions: [QUESTION],
    onKind: vi.fn(),
    onMap: vi.fn(),
    onConstant: vi.fn(),
    onDateFormat: vi.fn(),
    onAnswer: vi.fn(),
    onSuggest: vi.fn(),
    ...overrides,
  };
  render(<MappingCard {...props} />);
  return props;
}

describe('MappingCard', () => {
  it('shows the sales-lines kind, the constants and date formats of the mapping', async () => {
    await i18n.changeLanguage('en');
    setup();
    const card = screen.getByTestId('mapping-orders.csv');
    expect(within(card).getByText('Sales lines (orders)')).toBeInTheDocument();
    expect(screen.getByTestId('mapping-constant-status')).toHaveValue('won');
    expect(within(screen.getByTestId('mapping-date-format-date')).getByRole('combobox')).toHaveValue('dd-mm-yyyy hh:mm');
    expect(screen.queryByTestId('mapping-date-format-amount')).toBeNull(); // not a date field
  });

  it('edits a constant and a date format', async () => {
    await i18n.changeLanguage('en');
    const user = userEvent.setup();
    const props = setup({ mapping: { columns: { date: 'Order Date' }, constants: {}, dateFormats: {} }, questions: [] });
    await user.type(screen.getByTestId('mapping-constant-status'), 'w');
    expect(props.onConstant).toHaveBeenLastCalledWith('status', 'w');
    await user.type(within(screen.getByTestId('mapping-date-format-date')).getByRole('combobox'), 'm');
    expect(props.onDateFormat).toHaveBeenLastCalledWith('date', 'm');
  });

  it('asks the ambiguous date question in words and answers it with a date format', async () => {
    await i18n.changeLanguage('en');
    const user = userEvent.setup();
    const props = setup();
    const question = screen.getByTestId('question-date');
    expect(question).toHaveTextContent('Every date in column “Order Date” (date) reads both day first and month first');
    await user.click(within(question).getByText('Day first (dd-mm-yyyy)'));
    expect(props.onAnswer).toHaveBeenCalledWith('date', 'dmy');
  });

  it('shows no question once it is answered', async () => {
    await i18n.changeLanguage('en');
    setup({ questions: [] });
    expect(screen.queryByTestId('mapping-questions')).toBeNull();
  });

  it('speaks Chinese: kind, question and answers', async () => {
    await i18n.changeLanguage('zh-CN');
    setup({ questions: [QUESTION, 'map a column to rep or territory'] });
    expect(screen.getByText('销售明细（订单行）')).toBeInTheDocument();
    const question = screen.getByTestId('question-date');
    expect(question).toHaveTextContent('列“Order Date”（date）中的每个日期既可按日在前、也可按月在前读取');
    expect(within(question).getByText('月在前（mm-dd-yyyy）')).toBeInTheDocument();
    expect(screen.getByText('map a column to rep or territory')).toBeInTheDocument();
  });
});
