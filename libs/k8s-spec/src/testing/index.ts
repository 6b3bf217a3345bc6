/**
 * For other workspaces' tests (`@slipway/k8s-spec/testing`): the Pod Security Standards
 * checker and a platform to render against, the same ones this library's own tests use.
 */
export { podSecurityViolations, type Level, type Violation } from '../test-support/pod-security';
export { baseSpec as testServiceSpec, platform as testPlatform } from '../test-support/fixtures';
