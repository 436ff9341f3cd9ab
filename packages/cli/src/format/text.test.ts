import { cell, truncate, wrap } from './text';

describe('text helpers', () => {
  it('truncates with an ellipsis', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
    expect(truncate('abc', 0)).toBe('');
    expect(cell('ab', 4)).toBe('ab  ');
  });

  it('wraps at spaces, splitting words longer than a line', () => {
    expect(wrap('aa bb cc', 6, '  ')).toEqual(['  aa', '  bb', '  cc']);
    expect(wrap('aa bb', 7)).toEqual(['aa bb']);
    expect(wrap('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrap('one\ntwo', 80)).toEqual(['one', 'two']);
  });
});
