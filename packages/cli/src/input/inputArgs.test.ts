import { InputError } from '../errors';
import { groupInputs } from './inputArgs';

const none = () => false;

describe('groupInputs', () => {
  it('puts unnamed inputs in the default cluster', () => {
    expect(groupInputs(['a.yaml', '-'], 'prod', none)).toEqual([
      { cluster: 'prod', path: 'a.yaml' },
      { cluster: 'prod', path: '-' },
    ]);
  });

  it('splits NAME=PATH, allowing several inputs per cluster', () => {
    expect(
      groupInputs(['east=a.yaml', 'west=b/', 'east=c=d.yaml'], 'x', none),
    ).toEqual([
      { cluster: 'east', path: 'a.yaml' },
      { cluster: 'west', path: 'b/' },
      { cluster: 'east', path: 'c=d.yaml' },
    ]);
  });

  it('treats existing paths and path-like arguments with = as paths', () => {
    expect(groupInputs(['a=b.yaml'], 'd', p => p === 'a=b.yaml')).toEqual([
      { cluster: 'd', path: 'a=b.yaml' },
    ]);
    expect(
      groupInputs(['./a=b.yaml', '/x=y'], 'd', none).map(a => a.cluster),
    ).toEqual(['d', 'd']);
  });

  it('rejects empty input, empty paths, mixing and reading stdin twice', () => {
    const fails = (args: string[]) => () => groupInputs(args, 'd', none);
    expect(fails([])).toThrow(InputError);
    expect(fails(['east='])).toThrow('east=: no path after east=');
    expect(fails(['east=a.yaml', 'b.yaml'])).toThrow(
      /^b\.yaml: give every input a cluster name/,
    );
    expect(fails(['-', '-'])).toThrow('standard input can be read only once');
  });
});
