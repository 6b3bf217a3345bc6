import { AccessKeyVerifier, keyMayCall } from './access-key-verifier';

describe('keyMayCall', () => {
  const service = { orgId: 'org-a', projectId: 'project-1' };

  it("lets an org key call any service of its org, a project key only its project's", () => {
    expect(keyMayCall({ id: 'k', orgId: 'org-a', projectId: null }, service)).toBe(true);
    expect(keyMayCall({ id: 'k', orgId: 'org-a', projectId: 'project-1' }, service)).toBe(true);
    expect(keyMayCall({ id: 'k', orgId: 'org-a', projectId: 'project-2' }, service)).toBe(false);
  });

  it("refuses every key of another org, even naming the service's project", () => {
    expect(keyMayCall({ id: 'k', orgId: 'org-b', projectId: null }, service)).toBe(false);
    expect(keyMayCall({ id: 'k', orgId: 'org-b', projectId: 'project-1' }, service)).toBe(false);
  });
});

describe('AccessKeyVerifier.looksLikeKey', () => {
  it.each([
    [`slp_ak_${'a'.repeat(40)}`, true],
    [`slp_ak_${'A1_-'.repeat(10)}`, true],
    [`slp_pat_${'a'.repeat(40)}`, false],
    ['slp_ak_', false],
    [`slp_ak_${'a'.repeat(20)}!`, false],
    ['Bearer', false],
  ])('%j → %s', (value, expected) => {
    expect(AccessKeyVerifier.looksLikeKey(value)).toBe(expected);
  });
});
