import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import i18n from '../../i18n/index';
import { RunFailure, RunTotals } from './RunOutcome';

const REASON =
  "the import failed and changed nothing: orders.csv: 0 of 3 rows can be used. Answer first: date ('Order Date'): choose dmy or mdy.";

describe('RunFailure', () => {
  it('says clearly that a failed dry run imported nothing, and why', async () => {
    await i18n.changeLanguage('en');
    render(<RunFailure run={{ status: 'failed', message: REASON }} />);
    expect(screen.getByTestId('import-failure')).toHaveTextContent('The import failed: nothing was imported');
    expect(screen.getByTestId('import-failure-reason')).toHaveTextContent(REASON);
  });

  it('is silent for a run that did not fail', () => {
    render(<RunFailure run={{ status: 'dry_run', message: '' }} />);
    expect(screen.queryByTestId('import-failure')).toBeNull();
  });

  it('is in Chinese in a Chinese UI', async () => {
    await i18n.changeLanguage('zh-CN');
    render(<RunFailure run={{ status: 'failed', message: '' }} />);
    expect(screen.getByTestId('import-failure')).toHaveTextContent('导入失败：未导入任何数据');
    expect(screen.getByTestId('import-failure-reason')).toHaveTextContent('未给出原因。');
  });
});

describe('RunTotals', () => {
  it('shows the totals with the cancelled lines excluded', async () => {
    await i18n.changeLanguage('en');
    render(<RunTotals counts={{ rows: 4, imported: 3, rejected: 0, excluded: 1, actuals_written: 2, entities: {} }} />);
    expect(screen.getByTestId('import-count-imported')).toHaveTextContent('3');
    expect(screen.getByTestId('import-count-excluded')).toHaveTextContent('1');
    expect(screen.getByText('Excluded (cancelled)')).toBeInTheDocument();
    expect(screen.getByText('Monthly actuals written')).toBeInTheDocument();
  });

  it('has no excluded column when the report has none', async () => {
    await i18n.changeLanguage('en');
    render(<RunTotals counts={{ rows: 2, imported: 2 }} />);
    expect(screen.queryByTestId('import-count-excluded')).toBeNull();
  });
});
