import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import { Provider, type Client } from 'urql';
import { fromArray, never } from 'wonka';
import i18n from '../../i18n/index';
import { ImportProgressBar } from './ImportProgressBar';

function clientStreaming(steps: object[]): { client: Client; variables: unknown[] } {
  const variables: unknown[] = [];
  const client = {
    executeSubscription: (request: { variables: unknown }) => {
      variables.push(request.variables);
      return steps.length ? fromArray(steps.map((data) => ({ data, stale: false, hasNext: true }))) : never;
    },
  } as unknown as Client;
  return { client, variables };
}

describe('ImportProgressBar', () => {
  it('shows the phase, its units and the fraction of the run it follows', async () => {
    await i18n.changeLanguage('en');
    const step = { importProgress: { runId: '7', phase: 'loading deals.csv', done: 3, total: 4, fraction: 0.75 } };
    const { client, variables } = clientStreaming([step]);
    render(
      <Provider value={client}>
        <ImportProgressBar runId="7" />
      </Provider>,
    );
    expect(await screen.findByText('loading deals.csv (3 / 4)')).toBeInTheDocument();
    expect(screen.getByText('75%')).toBeInTheDocument();
    expect(variables).toEqual([{ runId: '7' }]);
  });

  it('says it is working before the first step arrives', async () => {
    await i18n.changeLanguage('en');
    render(
      <Provider value={clientStreaming([]).client}>
        <ImportProgressBar runId="8" />
      </Provider>,
    );
    expect(screen.getByText('Working…')).toBeInTheDocument();
    expect(screen.getByText('0%')).toBeInTheDocument();
  });
});
