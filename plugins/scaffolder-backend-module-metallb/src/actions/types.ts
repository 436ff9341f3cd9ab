import type { TemplateAction } from '@backstage/plugin-scaffolder-node';

/*
 * Named input and output shapes of the two actions. They mirror the zod schemas in create.ts and
 * validate.ts (the compiler checks that they agree), and they keep the public API stable: a type
 * the compiler infers from zod prints its members in an order that changes between runs.
 */

/** One port of a Service written by `metallb:service:create`. @public */
export type MetallbServicePortInput = {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
};

/** Input of `metallb:service:create`. @public */
export type MetallbServiceCreateInput = {
  cluster: string;
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  selector?: Record<string, string>;
  ports?: MetallbServicePortInput[];
  mode?: 'metallb' | 'external' | 'split';
  pool?: string;
  ip?: string;
  sharingKey?: string;
  ipFamily?: 'IPv4' | 'IPv6';
  externalTrafficPolicy?: 'Cluster' | 'Local';
  externalController?: string;
  loadBalancerClass?: string;
  splitSuffix?: string;
  targetPath?: string;
};

/** Output of `metallb:service:create`. @public */
export type MetallbServiceCreateOutput = {
  manifest: string;
  files: string[];
  ips: string[];
  pool: string | null;
  services: string[];
  annotationPrefix: string;
};

/** Input of `metallb:service:validate`. @public */
export type MetallbServiceValidateInput = {
  cluster: string;
  path?: string;
  failOnWarnings?: boolean;
};

/** A finding in the output of `metallb:service:validate`. @public */
export type MetallbServiceValidateFinding = {
  service?: string;
  rule: string;
  severity: string;
  message: string;
  remediations: string[];
};

/** The engine's verdict on one posted Service, in the output of `metallb:service:validate`. @public */
export type MetallbServiceValidateVerdict = {
  service: string;
  status: string;
  outcome: string;
  ips: string[];
  pool: string | null;
};

/** Output of `metallb:service:validate`. @public */
export type MetallbServiceValidateOutput = {
  findings: MetallbServiceValidateFinding[];
  services: MetallbServiceValidateVerdict[];
  errorCount: number;
  warningCount: number;
  files: string[];
};

/** The `metallb:service:create` action. @public */
export type MetallbServiceCreateAction = TemplateAction<
  MetallbServiceCreateInput,
  MetallbServiceCreateOutput,
  'v2'
>;

/** The `metallb:service:validate` action. @public */
export type MetallbServiceValidateAction = TemplateAction<
  MetallbServiceValidateInput,
  MetallbServiceValidateOutput,
  'v2'
>;
