import { describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RankSettingsForm } from './RankSettingsForm';
import type { RankSettingsFormValues } from '../validation';
import type { UserErrorLike } from '../../graphql/userErrors';

const initial = (): RankSettingsFormValues => ({
  effectiveFrom: '2026-12-01',
  note: 'annual review',
  promotionThreshold: 1.1,
  promotionQuarters: 2,
  minTenureMonths: 12,
  demotionThreshold: 0.7,
  demotionQuarters: 2,
  metrics: [
    { metricCode: 'revenue', metricName: 'Revenue', unit: 'CNY', isInteger: false, weight: 0.6, baseline: 120000, floorMultiplier: 0.7, ceilingMultiplier: 1.6 },
    { metricCode: 'new_customers', metricName: 'New customers', unit: 'customers', isInteger: true, weight: 0.4, baseline: 2, floorMultiplier: 0.5, ceilingMultiplier: 2 },
  ],
});

function setup(
  onSubmit = vi.fn(async (_values: RankSettingsFormValues): Promise<readonly UserErrorLike[]> => []),
  onReloadLatest = vi.fn(),
) {
  const user = userEvent.setup();
  render(<RankSettingsForm initialValues={initial()} onSubmit={onSubmit} onCancel={vi.fn()} onReloadLatest={onReloadLatest} />);
  const field = (id: string) => screen.getByTestId(id) as HTMLInputElement;
  const replace = async (id: string, value: string) => {
    await user.clear(field(id));
    await user.type(field(id), value);
  };
  const save = () => user.click(screen.getByTestId('settings-save'));
  return { user, field, replace, save, onSubmit, onReloadLatest };
}

describe('RankSettingsForm', () => {
  it('submits valid settings with the edited baseline', async () => {
    const { replace, save, onSubmit } = setup();
    await replace('metric-revenue-baseline', '130000');
    await save();
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    const values = (onSubmit.mock.calls[0] as unknown[])[0] as RankSettingsFormValues;
    expect(values.metrics[0].baseline).toBe(130000);
    expect(values.effectiveFrom).toBe('2026-12-01');
    expect(values.note).toBe('annual review');
  });

  it('refuses to send weights that do not sum to 1', async () => {
    const { replace, save, onSubmit } = setup();
    await replace('metric-revenue-weight', '0.5');
    await save();
    expect(await screen.findByTestId('metrics-error')).toHaveTextContent('Weights must sum to 1 (now 0.9)');
    expect(screen.getByTestId('weight-sum')).toHaveTextContent('Sum of weights: 0.9');
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('shows the error next to a floor above the ceiling', async () => {
    const { replace, save, onSubmit } = setup();
    await replace('metric-new_customers-floorMultiplier', '3');
    await save();
    expect(await screen.findByText('Floor must not exceed ceiling')).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('shows the error next to a negative baseline', async () => {
    const { replace, save, onSubmit } = setup();
    await replace('metric-new_customers-baseline', '-1');
    await save();
    expect(await screen.findByText('Baseline must be ≥ 0')).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('clears an error once the value is fixed', async () => {
    const { replace, save } = setup();
    await replace('metric-revenue-weight', '0.5');
    await save();
    await screen.findByTestId('metrics-error');
    await replace('metric-revenue-weight', '0.6');
    await waitFor(() => expect(screen.queryByTestId('metrics-error')).not.toBeInTheDocument());
  });

  it('puts an API field error next to its field', async () => {
    const onSubmit = vi.fn(async (): Promise<readonly UserErrorLike[]> => [
      { field: 'metrics[1].baseline', code: 'INVALID', message: 'Baseline too high for this rank' },
    ]);
    const { save } = setup(onSubmit);
    await save();
    expect(await screen.findByText('Baseline too high for this rank')).toBeInTheDocument();
    expect(screen.queryByTestId('settings-form-error')).not.toBeInTheDocument();
  });

  it('explains a stale version and offers to reload', async () => {
    const onSubmit = vi.fn(async (): Promise<readonly UserErrorLike[]> => [
      { field: 'expectedVersion', code: 'STALE_VERSION', message: 'Version 3 is not the newest (4).' },
    ]);
    const { save, user, onReloadLatest } = setup(onSubmit);
    await save();
    const alert = await screen.findByTestId('settings-form-error');
    expect(alert).toHaveTextContent('Someone else changed this in the meantime');
    expect(alert).toHaveTextContent('Version 3 is not the newest (4).');
    await user.click(screen.getByTestId('settings-reload'));
    expect(onReloadLatest).toHaveBeenCalled();
  });
});
