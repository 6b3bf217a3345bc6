import type { IService } from 'kubernetes-models/v1/Service';
import type { IServicePort } from 'kubernetes-models/v1/ServicePort';
import { CONTAINER_CONTRACT } from './contract';
import { selectorLabels, serviceMeta, type ServiceObjectNames } from './metadata';
import type { ServiceSpec } from './service-spec';

const port: IServicePort = {
  name: CONTAINER_CONTRACT.portName,
  port: CONTAINER_CONTRACT.port,
  targetPort: CONTAINER_CONTRACT.portName,
  protocol: 'TCP',
  appProtocol: 'http',
};

/** ClusterIP on 8080; its EndpointSlices are the ready instances the edge proxies to. */
export function renderClusterService(spec: ServiceSpec, names: ServiceObjectNames): IService {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: serviceMeta(spec, names),
    spec: { type: 'ClusterIP', selector: { ...selectorLabels(spec) }, ports: [{ ...port }] },
  };
}

/** Headless Service that a StatefulSet requires for its pods' stable DNS names. */
export function renderHeadlessService(spec: ServiceSpec, names: ServiceObjectNames): IService {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: serviceMeta(spec, names, names.headless),
    spec: {
      type: 'ClusterIP',
      clusterIP: 'None',
      // Peers may need each other before they are ready (e.g. to form a cluster).
      publishNotReadyAddresses: true,
      selector: { ...selectorLabels(spec) },
      ports: [{ ...port }],
    },
  };
}
