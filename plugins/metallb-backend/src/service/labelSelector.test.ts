import { matchesSelector, parseLabelSelector } from './labelSelector';

describe('label selectors', () => {
  const labels = {
    app: 'web',
    tier: 'front',
    'backstage.io/kubernetes-id': 'storefront',
  };
  it.each([
    ['backstage.io/kubernetes-id=storefront', true],
    ['backstage.io/kubernetes-id==storefront,app=web', true],
    ['app=db', false],
    ['app!=db', true],
    ['tier in (front, back)', true],
    ['tier notin (front)', false],
    ['app', true],
    ['!app', false],
    ['missing', false],
    ['', false],
  ])('%p matches: %p', (selector, expected) => {
    expect(matchesSelector(parseLabelSelector(selector), labels)).toBe(
      expected,
    );
  });

  it('rejects malformed terms', () => {
    expect(() => parseLabelSelector('a=b=c')).toThrow(/Invalid label selector/);
  });
});
