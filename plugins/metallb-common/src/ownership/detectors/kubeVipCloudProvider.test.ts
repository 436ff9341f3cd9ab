import { kubeVipCloudProviderDetector } from './kubeVipCloudProvider';
import {
  LB_IP_FIELDS,
  contextFor,
  deployment,
  event,
  service,
  snapshot,
  writer,
} from '../__fixtures__/builders';
import type { Service } from '../../model/kubernetes';
import type { ClusterSnapshot } from '../../model/snapshot';

const KVCP = deployment(
  'kube-system/kube-vip-cloud-provider',
  'ghcr.io/kube-vip/kube-vip-cloud-provider:v0.0.10',
);

function detect(svc: Service, snap: ClusterSnapshot = snapshot()) {
  return kubeVipCloudProviderDetector.detect(svc, contextFor(svc, snap))
    ?.evidence;
}

describe('kubeVipCloudProviderDetector', () => {
  it('owns class-less Services in default mode', () => {
    expect(detect(service(), snapshot({ deployments: [KVCP] }))).toEqual([
      'installed (Deployment kube-system/kube-vip-cloud-provider) and takes Services without a loadBalancerClass',
    ]);
  });

  it('sees its label and requestedIP annotation', () => {
    expect(
      detect(
        service({
          labels: { implementation: 'kube-vip' },
          annotations: { 'kube-vip.io/requestedIP': '10.0.0.5' },
        }),
      ),
    ).toEqual([
      'label implementation=kube-vip',
      'annotation kube-vip.io/requestedIP=10.0.0.5',
    ]);
  });

  it('sees its spec.loadBalancerIP write', () => {
    expect(
      detect(
        service({
          managedFields: [writer('kube-vip-cloud-provider', LB_IP_FIELDS)],
        }),
      ),
    ).toEqual([
      'managedFields: manager "kube-vip-cloud-provider" (Update) owns spec.loadBalancerIP at 2025-01-09T10:00:00Z',
    ]);
  });

  it('sees class-mode Events', () => {
    expect(
      detect(
        service(),
        snapshot({
          events: [event('service-lbc-controller', 'EnsuredLoadBalancer')],
        }),
      ),
    ).toEqual(['Event EnsuredLoadBalancer from service-lbc-controller']);
  });

  it('takes the cloud-provider finalizer when it is the installed CCM', () => {
    const svc = service({
      finalizers: ['service.kubernetes.io/load-balancer-cleanup'],
    });
    expect(detect(svc, snapshot({ deployments: [KVCP] }))).toContain(
      'finalizer service.kubernetes.io/load-balancer-cleanup',
    );
    expect(detect(svc)).toBeUndefined();
  });

  it('is excluded from class-less Services in class mode', () => {
    const d = deployment(
      'kube-system/kvcp',
      'ghcr.io/kube-vip/kube-vip-cloud-provider:v0.0.10',
      { env: { KUBEVIP_ENABLE_LOADBALANCERCLASS: 'true' } },
    );
    expect(detect(service(), snapshot({ deployments: [d] }))).toBeUndefined();
    expect(
      detect(
        service({ lbClass: 'kube-vip.io/kube-vip-class' }),
        snapshot({ deployments: [d] }),
      )?.[0],
    ).toBe('spec.loadBalancerClass is "kube-vip.io/kube-vip-class"');
  });
});
