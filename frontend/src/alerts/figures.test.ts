import { describe, expect, it } from 'vitest';
import i18n from 'i18next';
import type { AlertFieldsFragment } from '../gql/graphql';
import { formattersFor } from '../i18n/format';
import { figureDetails, figureSentence } from './figures';

type Figures = AlertFieldsFragment['figures'];
type Rule = NonNullable<AlertFieldsFragment['rule']>;

const noFigures: Figures = {
  value: null,
  threshold: null,
  attainment: null,
  pace: null,
  probability: null,
  projectedAttainment: null,
  periodsBehind: null,
  daysInactive: null,
  asOf: null,
};
const noParams: Rule['params'] = { periods: null, grain: null, threshold: null, k: null, minPeers: null, below: null, days: null };

function rule(kind: Rule['kind'], params: Partial<Rule['params']> = {}): Rule {
  return { id: '1', name: 'A rule', kind, severity: 'WARNING', params: { ...noParams, ...params } };
}

function sentence(kind: Rule['kind'], figures: Partial<Figures>, params: Partial<Rule['params']> = {}, language = 'en') {
  return figureSentence({ figures: { ...noFigures, ...figures }, rule: rule(kind, params) }, i18n.getFixedT(language), formattersFor(language));
}

describe('figureSentence', () => {
  it('says how many weeks in a row a rep is behind pace, and by how much', () => {
    expect(sentence('BEHIND_PACE', { value: 0.72, threshold: 0.9, pace: 0.72, periodsBehind: 3 }, { grain: 'WEEK', periods: 3 })).toBe(
      'Behind pace 3 weeks in a row (pace 72% < 90%)',
    );
  });

  it('counts months for a monthly pace rule and speaks of one week in the singular', () => {
    expect(sentence('BEHIND_PACE', { value: 0.5, threshold: 0.8, periodsBehind: 2 }, { grain: 'MONTH' })).toBe('Behind pace 2 months in a row (pace 50% < 80%)');
    expect(sentence('BEHIND_PACE', { pace: 0.85, threshold: 0.9, periodsBehind: 1 }, { grain: 'WEEK' })).toBe('Behind pace 1 week in a row (pace 85% < 90%)');
  });

  it('takes the rule’s own parameters where a figure is missing', () => {
    expect(sentence('BEHIND_PACE', { value: 0.6 }, { grain: 'WEEK', periods: 4, threshold: 0.9 })).toBe('Behind pace 4 weeks in a row (pace 60% < 90%)');
    expect(sentence('LOW_PROBABILITY', { value: 0.12 }, { below: 0.2 })).toBe('Chance of reaching the target 12% < 20%');
  });

  it('describes each other kind in words', () => {
    expect(sentence('PEER_GAP', { value: 0.45, threshold: 0.7 }, { k: 1.5 })).toBe(
      'Attainment 45% is more than 1.5 standard deviations below same-rank peers in the region (below 70%)',
    );
    expect(sentence('LOW_PROJECTION', { projectedAttainment: 0.68, threshold: 0.8 })).toBe('Projected to reach 68% of the target (< 80%)');
    expect(sentence('INACTIVITY', { daysInactive: 25, threshold: 21 })).toBe('No sale for 25 days (limit 21)');
  });

  it('speaks Chinese in Chinese', () => {
    expect(sentence('BEHIND_PACE', { pace: 0.72, threshold: 0.9, periodsBehind: 3 }, { grain: 'WEEK' }, 'zh-CN')).toBe('连续 3 周落后于进度（进度 72% < 90%）');
    expect(sentence('INACTIVITY', { value: 25, threshold: 21 }, {}, 'zh-CN')).toBe('已 25 天无销售（上限 21 天）');
  });

  it('falls back to the rule’s name without a known rule', () => {
    const fmt = formattersFor('en');
    expect(figureSentence({ figures: noFigures, rule: null }, i18n.getFixedT('en'), fmt)).toBe('A rule fired');
  });
});

describe('figureDetails', () => {
  it('lists only the figures that are there, formatted', () => {
    const rows = figureDetails({ ...noFigures, attainment: 0.41, daysInactive: 3, asOf: '2026-11-27' }, i18n.getFixedT('en'), formattersFor('en'));
    expect(rows).toEqual([
      { label: 'Attainment to date', value: '41%' },
      { label: 'Days without a sale', value: '3' },
      { label: 'As of', value: 'Nov 27, 2026' },
    ]);
  });
});
