import { scopedMemo, withAnalysisScope } from './analysisScope';

describe('scopedMemo', () => {
  it('computes once per object within an analysis, and afresh outside or in the next one', () => {
    let calls = 0;
    const size = scopedMemo((map: Record<string, string>) => {
      calls++;
      return Object.keys(map).length;
    });
    const a = { x: '1' };
    const b = { x: '1', y: '2' };
    withAnalysisScope(() => {
      expect([size(a), size(b), size(a), size(b), size(b)]).toEqual([
        1, 2, 1, 2, 2,
      ]);
    });
    expect(calls).toBe(2);
    // A caller that edits an object between analyses sees the edit.
    (a as Record<string, string>).z = '3';
    expect(size(a)).toBe(2);
    expect(size(a)).toBe(2);
    expect(calls).toBe(4);
    withAnalysisScope(() => {
      expect(size(a)).toBe(2);
      // Nested runs share the outer run's values.
      withAnalysisScope(() => expect(size(a)).toBe(2));
    });
    expect(calls).toBe(5);
  });
});
