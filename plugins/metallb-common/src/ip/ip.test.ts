import { canonicalIp, formatIp, isBuggyIp, parseIp } from './address';
import { formatCidr, parseCidr, parsePoolAddresses, usableCount } from './cidr';

describe('parseIp', () => {
  it.each([
    ['1.2.3.4', 'ipv4', '1.2.3.4'],
    ['0.0.0.0', 'ipv4', '0.0.0.0'],
    ['::ffff:10.0.0.1', 'ipv4', '10.0.0.1'],
    ['1000::1', 'ipv6', '1000::1'],
    ['2001:DB8:0:0:1:0:0:1', 'ipv6', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', 'ipv6', '2001:db8:0:1:1:1:1:1'],
    ['::', 'ipv6', '::'],
    ['::1', 'ipv6', '::1'],
    ['fe80::', 'ipv6', 'fe80::'],
    ['64:ff9b::192.0.2.33', 'ipv6', '64:ff9b::c000:221'],
  ])('parses %s as %s printed %s', (text, family, printed) => {
    const ip = parseIp(text);
    expect(ip?.family).toBe(family);
    expect(formatIp(ip!)).toBe(printed);
  });

  it.each([
    '',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '01.2.3.4',
    '1.2.3.4 ',
    ' 1.2.3.4',
    '1::2::3',
    'fe80::1%eth0',
    '1:2:3:4:5:6:7:8:9',
    'g::1',
    '1.2.3.4/32',
    '100.200.300.400',
  ])('refuses %j as Go does', text => {
    expect(parseIp(text)).toBeUndefined();
  });

  it('refuses non-strings without throwing', () => {
    expect(parseIp(42)).toBeUndefined();
    expect(parseIp(null)).toBeUndefined();
    expect(canonicalIp({})).toBeUndefined();
  });

  it('knows buggy IPv4 addresses only', () => {
    expect(isBuggyIp(parseIp('1.2.3.0')!)).toBe(true);
    expect(isBuggyIp(parseIp('1.2.3.255')!)).toBe(true);
    expect(isBuggyIp(parseIp('1.2.3.1')!)).toBe(false);
    expect(isBuggyIp(parseIp('1000::ff')!)).toBe(false);
  });
});

describe('parseCidr', () => {
  it('masks host bits like Go', () => {
    expect(formatCidr(parseCidr('192.168.10.100/24')!)).toBe('192.168.10.0/24');
    expect(formatCidr(parseCidr('1000::1/127')!)).toBe('1000::/127');
  });
  it.each([
    '1.2.3.4',
    '1.2.3.0/33',
    '1000::/129',
    '1.2.3.0/-1',
    '1.2.3.0/024',
    '/24',
  ])('refuses %s', text => expect(parseCidr(text)).toBeUndefined());
});

describe('parsePoolAddresses', () => {
  const cidrs = (entry: string) => {
    const result = parsePoolAddresses(entry);
    if (!result.ok) throw new Error(result.error);
    return result.value.map(formatCidr);
  };

  it('summarises a range as MetalLB does', () => {
    expect(cidrs('40.0.0.150-40.0.0.200')).toEqual([
      '40.0.0.150/31',
      '40.0.0.152/29',
      '40.0.0.160/27',
      '40.0.0.192/29',
      '40.0.0.200/32',
    ]);
  });
  it('trims spaces around range ends', () => {
    expect(cidrs('40.0.0.210 - 40.0.0.240')[0]).toBe('40.0.0.210/31');
  });
  it('accepts a single-address range', () => {
    expect(cidrs('10.0.0.5-10.0.0.5')).toEqual(['10.0.0.5/32']);
  });
  it('summarises IPv6 ranges', () => {
    expect(cidrs('2000::1-2000::2')).toEqual(['2000::1/128', '2000::2/128']);
  });
  it.each([
    ['100.200.300.400/24', 'invalid CIDR "100.200.300.400/24"'],
    ['1.2.3.0/33', 'invalid CIDR "1.2.3.0/33"'],
    [
      '1.2.3.10-1.2.3.1',
      'invalid IP range "1.2.3.10-1.2.3.1": start IP "1.2.3.10" is after the end IP "1.2.3.1"',
    ],
    ['x-1.2.3.1', 'invalid IP range "x-1.2.3.1": invalid start IP "x"'],
    ['1.2.3.1-y', 'invalid IP range "1.2.3.1-y": invalid end IP "y"'],
  ])('rejects %s with MetalLB text', (entry, error) => {
    expect(parsePoolAddresses(entry)).toEqual({ ok: false, error });
  });
});

describe('usableCount', () => {
  it('removes .0 and .255 of every /24 with avoidBuggyIPs', () => {
    expect(usableCount(parseCidr('10.0.0.0/23')!, true)).toBe(508n);
    expect(usableCount(parseCidr('10.0.0.0/23')!, false)).toBe(512n);
    expect(usableCount(parseCidr('10.0.0.252/30')!, true)).toBe(3n);
    expect(usableCount(parseCidr('10.0.0.4/30')!, true)).toBe(4n);
  });
});
