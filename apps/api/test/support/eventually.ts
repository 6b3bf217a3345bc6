/** Probes until a condition holds, failing with the last value seen (shared with the cluster specs). */
export { eventually } from '@slipway/kube-client/testing';
