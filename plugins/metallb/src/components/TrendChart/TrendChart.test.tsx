import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { TrendChart, aggregateHistory } from './TrendChart';

const points = [
  { at: '2026-01-02T00:00:00Z', cluster: 'a', error: 1, warning: 2, info: 0 },
  { at: '2026-01-01T00:00:00Z', cluster: 'a', error: 3, warning: 0, info: 1 },
  { at: '2026-01-02T00:00:00Z', cluster: 'b', error: 4, warning: 0, info: 0 },
];

describe('TrendChart', () => {
  it('sums clusters per timestamp in time order', () => {
    expect(aggregateHistory(points)).toEqual([
      { at: Date.parse('2026-01-01T00:00:00Z'), error: 3, warning: 0, info: 1 },
      { at: Date.parse('2026-01-02T00:00:00Z'), error: 5, warning: 2, info: 0 },
    ]);
  });

  it('draws one line per severity and labels the latest numbers', async () => {
    await renderInTestApp(<TrendChart points={points} />);
    expect(screen.getByRole('img').getAttribute('aria-label')).toContain(
      'latest: 5 errors, 2 warnings, 0 info',
    );
    expect(
      screen.getByTestId('trend-error').getAttribute('points')?.split(' '),
    ).toHaveLength(2);
  });

  it('says when there is no history', async () => {
    await renderInTestApp(<TrendChart points={[]} />);
    expect(screen.getByText('No scan history yet.')).toBeInTheDocument();
  });
});
