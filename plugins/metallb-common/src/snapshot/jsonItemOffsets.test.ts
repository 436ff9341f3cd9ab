import { jsonItemOffsets } from './jsonItemOffsets';

describe('jsonItemOffsets', () => {
  it('finds top-level items only, skipping strings and nested items', () => {
    const text =
      '{"a":{"items":[9]},"s":"\\"items\\":[","items":[ {"items":[1]} ,[2], "x" ]}';
    const offsets = jsonItemOffsets(text)!;
    expect(offsets.map(o => text[o])).toEqual(['{', '[', '"']);
  });

  it('returns undefined without a top-level items array', () => {
    expect(jsonItemOffsets('[{"items":[1]}]')).toBeUndefined();
    expect(jsonItemOffsets('{"items":3}')).toBeUndefined();
  });

  it('handles an empty items array', () => {
    expect(jsonItemOffsets('{"items":[ ]}')).toEqual([]);
  });
});
