import type { SnapshotListKey } from '../model/snapshot';
import {
  SNAPSHOT_CONFIG_MAPS,
  SNAPSHOT_LIST_SOURCES,
  snapshotListApiVersion,
  snapshotListPath,
} from './sources';

describe('snapshot list sources', () => {
  it('lists Services first, as the one list an analysis cannot do without', () => {
    const required = SNAPSHOT_LIST_SOURCES.filter(s => s.required);
    expect(required.map(s => s.key)).toEqual(['services']);
    expect(SNAPSHOT_LIST_SOURCES[0].key).toBe('services');
  });

  it('reads each snapshot list once', () => {
    const keys: SnapshotListKey[] = SNAPSHOT_LIST_SOURCES.map(s => s.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('builds list paths and apiVersions for the core group and named groups', () => {
    const byKey = new Map(SNAPSHOT_LIST_SOURCES.map(s => [s.key, s]));
    const services = byKey.get('services')!;
    const pools = byKey.get('ipAddressPools')!;
    const daemonSets = byKey.get('daemonSets')!;
    expect(snapshotListPath(services)).toBe('/api/v1/services');
    expect(snapshotListApiVersion(services)).toBe('v1');
    expect(snapshotListPath(pools)).toBe(
      '/apis/metallb.io/v1beta1/ipaddresspools',
    );
    expect(snapshotListApiVersion(pools)).toBe('metallb.io/v1beta1');
    expect(snapshotListPath(daemonSets)).toBe('/apis/apps/v1/daemonsets');
    expect(snapshotListApiVersion(daemonSets)).toBe('apps/v1');
  });

  it('reads the ConfigMaps the engine understands by name', () => {
    expect(SNAPSHOT_CONFIG_MAPS).toEqual([
      ['metallb-system', 'config'],
      ['kube-system', 'kube-proxy'],
      ['kube-system', 'kubevip'],
    ]);
  });
});
