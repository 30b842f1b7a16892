import { describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from 'antd';
import { Provider, type Client } from 'urql';
import { fromValue } from 'wonka';
import i18n from '../../i18n/index';
import type { AlertFieldsFragment } from '../../gql/graphql';
import type { AlertAction } from '../transitions';
import { AlertActionModal } from './AlertActionModal';

const alert: AlertFieldsFragment = {
  id: '42',
  ruleKey: 'behind-pace-3w',
  rule: { id: '1', name: 'Behind pace', kind: 'BEHIND_PACE', severity: 'WARNING', params: { periods: 3, grain: 'WEEK', threshold: 0.9, k: null, minPeers: null, below: null, days: null } },
  rep: { id: '7', name: 'Li Lei' },
  state: 'OPEN',
  severity: 'WARNING',
  figures: { value: 0.72, threshold: 0.9, attainment: 0.4, pace: 0.72, probability: null, projectedAttainment: null, periodsBehind: 3, daysInactive: null, asOf: '2026-11-27' },
  openedAt: '2026-11-27T08:00:00Z',
  updatedAt: '2026-11-27T08:00:00Z',
  acknowledgedBy: null,
  resolvedBy: null,
  version: 3,
};

function mockClient() {
  const calls: { query: string; variables: unknown }[] = [];
  const client = {
    executeMutation: vi.fn((request: { query: { definitions: { name?: { value: string } }[] }; variables: unknown }) => {
      const name = request.query.definitions[0]?.name?.value ?? '';
      calls.push({ query: name, variables: request.variables });
      const field = name === 'AcknowledgeAlert' ? 'acknowledgeAlert' : 'resolveAlert';
      return fromValue({ data: { [field]: { alert: null, errors: [] } }, stale: false, hasNext: false });
    }),
  } as unknown as Client;
  return { client, calls };
}

function Harness({ client, action, onClose }: { client: Client; action?: AlertAction; onClose: () => void }) {
  return (
    <Provider value={client}>
      <App>
        <AlertActionModal alert={action ? alert : undefined} action={action} onClose={onClose} onReload={() => undefined} />
      </App>
    </Provider>
  );
}

describe('AlertActionModal', () => {
  it('refuses to resolve without a note and sends nothing', async () => {
    await i18n.changeLanguage('en');
    const { client, calls } = mockClient();
    render(<Harness client={client} action="resolve" onClose={() => undefined} />);
    expect(screen.getByText(/Behind pace 3 weeks in a row/)).toBeInTheDocument();
    await userEvent.click(screen.getByTestId('alert-action-ok'));
    expect(await screen.findByText('Say what was done to resolve it')).toBeInTheDocument();
    expect(calls).toEqual([]);
  });

  it('acknowledges at the version seen, then opens empty to resolve', async () => {
    await i18n.changeLanguage('en');
    const { client, calls } = mockClient();
    const onClose = vi.fn();
    const { rerender } = render(<Harness client={client} action="acknowledge" onClose={onClose} />);
    await userEvent.type(screen.getByTestId('alert-note'), 'On it');
    await userEvent.click(screen.getByTestId('alert-action-ok'));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(calls).toEqual([{ query: 'AcknowledgeAlert', variables: { input: { alertId: '42', expectedVersion: 3, note: 'On it' } } }]);

    rerender(<Harness client={client} onClose={onClose} />);
    rerender(<Harness client={client} action="resolve" onClose={onClose} />);
    await waitFor(() => expect(screen.getByTestId('alert-note')).toHaveValue(''));
  });
});
