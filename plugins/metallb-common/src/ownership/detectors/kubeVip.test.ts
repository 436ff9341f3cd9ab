import { kubeVipDetector } from './kubeVip';
import {
  INGRESS_FIELDS,
  contextFor,
  daemonSet,
  service,
  snapshot,
  writer,
} from '../__fixtures__/builders';
import type { Service } from '../../model/kubernetes';
import type { ClusterSnapshot } from '../../model/snapshot';

const KV = daemonSet(
  'kube-system/kube-vip-ds',
  'ghcr.io/kube-vip/kube-vip:v0.8.9',
  { env: { svc_enable: 'true' } },
);

function detect(svc: Service, snap: ClusterSnapshot = snapshot()) {
  return kubeVipDetector.detect(svc, contextFor(svc, snap))?.evidence;
}

describe('kubeVipDetector', () => {
  it('owns class-less Services with svc_enable and legacy handling', () => {
    expect(detect(service(), snapshot({ daemonSets: [KV] }))).toEqual([
      'installed (DaemonSet kube-system/kube-vip-ds) and takes Services without a loadBalancerClass',
    ]);
  });

  it('owns Services of its class', () => {
    expect(detect(service({ lbClass: 'kube-vip.io/kube-vip-class' }))).toEqual([
      'spec.loadBalancerClass is "kube-vip.io/kube-vip-class"',
    ]);
  });

  it('honours kube-vip.io/ignore', () => {
    expect(
      detect(
        service({ annotations: { 'kube-vip.io/ignore': 'true' } }),
        snapshot({ daemonSets: [KV] }),
      ),
    ).toBeUndefined();
  });

  it('sees ports in the status ingress', () => {
    const svc = service({
      ingress: [{ ip: '10.0.0.5', ports: [{ port: 53, protocol: 'UDP' }] }],
    });
    expect(detect(svc)).toEqual([
      'status.loadBalancer.ingress[0].ports is set (kube-vip writes ports)',
    ]);
    expect(detect(service({ ingress: [{ ip: '10.0.0.5' }] }))).toBeUndefined();
    expect(
      detect(service({ ingress: [{ ip: '10.0.0.5', ports: [] }] })),
    ).toBeUndefined();
  });

  it.each(['kube-vip.io/vipHost', 'kube-vip.io/hwaddr'])(
    'sees annotation %s',
    key => {
      expect(detect(service({ annotations: { [key]: 'x' } }))).toEqual([
        `annotation ${key}=x`,
      ]);
    },
  );

  it('sees its status write', () => {
    expect(
      detect(
        service({
          managedFields: [
            writer('kube-vip', INGRESS_FIELDS, { subresource: 'status' }),
          ],
        }),
      ),
    ).toEqual([
      'managedFields: manager "kube-vip" (Update, status) owns status.loadBalancer.ingress at 2025-01-09T10:00:00Z',
    ]);
  });

  it('does not own a class-less Service with lb_class_only', () => {
    const ds = daemonSet('kube-system/kv', 'ghcr.io/kube-vip/kube-vip:v0.8.9', {
      env: { svc_enable: 'true', lb_class_only: 'true' },
    });
    expect(detect(service(), snapshot({ daemonSets: [ds] }))).toBeUndefined();
  });
});
