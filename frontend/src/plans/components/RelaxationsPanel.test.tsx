import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import i18n from '../../i18n';
import { RelaxationsAlert, RelaxationsPanel } from './RelaxationsPanel';
import type { Relaxation } from '../relaxations';

const base: Relaxation = {
  family: 'RANK',
  side: 'UPPER',
  scope: 'NODE',
  metricCode: 'revenue',
  repId: null,
  repName: null,
  rankCode: null,
  orgUnitId: '3',
  nodeName: 'North',
  amount: 9.6e6,
  share: 0.08,
  reps: 40,
  situation: 'The revenue goal of North is 9.6 M above the sum of its reps’ ceilings (120 M)',
  action: 'lower the goal or accept the stretch',
};
const band: Relaxation = { ...base, family: 'BAND', scope: 'REP', repId: '7', repName: 'Lu Yu', situation: 'Lu Yu’s forecast is above the ceiling', action: 'promotion candidate' };

describe('RelaxationsPanel', () => {
  it('lists each relaxation as a sentence with its suggested action, grouped by family with counts', async () => {
    await i18n.changeLanguage('en');
    render(<RelaxationsPanel relaxations={[band, base, band]} />);
    const rank = screen.getByTestId('relaxations-group-RANK');
    expect(rank).toHaveTextContent('Rank floor / ceiling1');
    expect(within(rank).getByTestId('relaxation-action')).toHaveTextContent('Suggested: lower the goal or accept the stretch');
    expect(within(screen.getByTestId('relaxations-group-BAND')).getAllByTestId('relaxation-item')).toHaveLength(2);
    const groups = screen.getAllByTestId(/relaxations-group-/).map((g) => g.dataset.testid);
    expect(groups).toEqual(['relaxations-group-RANK', 'relaxations-group-BAND']);
  });

  it('says that nothing had to give when the list is empty', async () => {
    await i18n.changeLanguage('zh-CN');
    render(<RelaxationsPanel relaxations={[]} />);
    expect(screen.getByTestId('relaxations-empty')).toHaveTextContent('无需放宽');
  });
});

describe('RelaxationsAlert', () => {
  it('summarises the counts per family and opens the list', async () => {
    await i18n.changeLanguage('en');
    const onShow = vi.fn();
    render(<RelaxationsAlert relaxations={[band, base, band]} onShow={onShow} />);
    expect(screen.getByTestId('relaxations-alert')).toHaveTextContent('3 constraints had to give');
    expect(screen.getByTestId('relaxations-count-BAND')).toHaveTextContent('Probability band · 2');
    await userEvent.setup().click(screen.getByTestId('relaxations-show'));
    expect(onShow).toHaveBeenCalledOnce();
  });

  it('shows nothing when every constraint held', () => {
    const { container } = render(<RelaxationsAlert relaxations={[]} onShow={() => {}} />);
    expect(container).toBeEmptyDOMElement();
  });
});

describe('a long family', () => {
  it('shows the first twenty until asked for all', async () => {
    await i18n.changeLanguage('en');
    const many = Array.from({ length: 25 }, (_, i) => ({ ...band, situation: `rep ${i}` }));
    render(<RelaxationsPanel relaxations={many} />);
    expect(screen.getAllByTestId('relaxation-item')).toHaveLength(20);
    await userEvent.setup().click(screen.getByTestId('relaxations-more'));
    expect(screen.getAllByTestId('relaxation-item')).toHaveLength(25);
  });
});
