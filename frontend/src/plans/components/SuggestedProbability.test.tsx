import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import i18n from '../../i18n';
import { SuggestedProbability } from './SuggestedProbability';

describe('SuggestedProbability (plan wizard goals step)', () => {
  it('shows the design point the suggested goal implies as a percentage, explained on hover', async () => {
    await i18n.changeLanguage('en');
    render(<SuggestedProbability metricCode="revenue" probability={0.6234} />);
    const cell = screen.getByTestId('plan-suggested-p-revenue');
    expect(cell).toHaveTextContent('62.3%');
    await userEvent.hover(cell);
    expect(await screen.findByRole('tooltip')).toHaveTextContent('each rep meets their target with probability 62.3%');
  });

  it('says it is known after the first generation while the plan has none (zh-CN)', async () => {
    await i18n.changeLanguage('zh-CN');
    render(<SuggestedProbability metricCode="new_customers" probability={null} />);
    const cell = screen.getByTestId('plan-suggested-p-new_customers');
    expect(cell).toHaveTextContent('—');
    await userEvent.hover(cell);
    expect(await screen.findByRole('tooltip')).toHaveTextContent('首次生成后可知');
  });
});
