import { compareSeverity, describeRule } from './severity';

describe('severity utils', () => {
  it('sorts errors before warnings before info before ok', () => {
    const sorted = (['ok', 'info', 'error', 'warning'] as const)
      .slice()
      .sort(compareSeverity);
    expect(sorted).toEqual(['error', 'warning', 'info', 'ok']);
  });

  it('describes known rules and falls back to the id for unknown ones', () => {
    expect(describeRule('write-loop').title).toMatch(/loop/i);
    expect(describeRule('some-future-rule')).toEqual({
      title: 'some-future-rule',
    });
  });
});
