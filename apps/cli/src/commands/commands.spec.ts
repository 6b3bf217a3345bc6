import { UsageError, CliError } from '../errors';
import { accessKeyScope } from './access-keys';
import { uniqueServiceId } from './common';
import { formatDuration, serviceUrl, traceRows } from './inspect';
import { boundOrNone, updateBody } from './services';

describe('--name resolution', () => {
  const services = [
    { id: 'id-1', name: 'api' },
    { id: 'id-2', name: 'worker' },
    { id: 'id-3', name: 'worker' },
  ];

  it('answers the id of the one service with that name', () => {
    expect(uniqueServiceId(services, 'api', 'p1')).toBe('id-1');
  });

  it('names the project when nothing matches', () => {
    expect(() => uniqueServiceId(services, 'web', 'p1')).toThrow(
      'no service named "web" in project p1',
    );
  });

  it('lists the candidates when several match', () => {
    const ambiguous = (): string => uniqueServiceId(services, 'worker', 'p1');
    expect(ambiguous).toThrow(CliError);
    expect(ambiguous).toThrow(
      '2 services are named "worker" in project p1: pass --id (id-2, id-3)',
    );
  });
});

describe('access key scope', () => {
  const current = { orgId: 'org-1', projectId: 'project-1' };

  it('is the current project by default, or the one given', () => {
    expect(accessKeyScope({}, current)).toEqual({ project_id: 'project-1' });
    expect(accessKeyScope({ projectId: 'p2' }, current)).toEqual({ project_id: 'p2' });
  });

  it('is the organization with --org-scope', () => {
    expect(accessKeyScope({ orgScope: true }, current)).toEqual({ org_id: 'org-1' });
    expect(accessKeyScope({ orgScope: true, orgId: 'o2' }, {})).toEqual({ org_id: 'o2' });
  });

  it('refuses what does not add up, as usage errors', () => {
    expect(() => accessKeyScope({ orgScope: true, projectId: 'p' }, current)).toThrow(UsageError);
    expect(() => accessKeyScope({ orgId: 'o' }, current)).toThrow('add --org-scope');
    expect(() => accessKeyScope({}, {})).toThrow('no project selected');
    expect(() => accessKeyScope({ orgScope: true }, {})).toThrow('no organization selected');
  });
});

describe('service update', () => {
  it('sends only the fields given', () => {
    expect(updateBody({ access: 'public', maxReplicas: 4 })).toEqual({
      access_control: { access_type: 'public' },
      max_replicas: 4,
    });
    expect(updateBody({ description: 'ocr', category: 'ml', minReplicas: null })).toEqual({
      description: 'ocr',
      category: 'ml',
      min_replicas: null,
    });
  });

  it('replaces the tags with --tag, clears them with --clear-tags, never both', () => {
    expect(updateBody({ tag: ['gpu', 'team-a'] })).toEqual({ tags: ['gpu', 'team-a'] });
    expect(updateBody({ clearTags: true })).toEqual({ tags: [] });
    expect(updateBody({ port: 3000 })).toEqual({ port: 3000 });
    expect(() => updateBody({ tag: ['gpu'], clearTags: true })).toThrow(
      'give --tag or --clear-tags, not both',
    );
  });

  it('refuses an update with nothing to change', () => {
    expect(() => updateBody({ id: 'x' })).toThrow('nothing to update');
  });

  it('parses a replica bound, with none removing it', () => {
    const parse = boundOrNone(1, 100);
    expect(parse('none')).toBeNull();
    expect(parse('7')).toBe(7);
    expect(() => parse('0')).toThrow('must be a whole number from 1 to 100');
  });
});

describe('inspect output', () => {
  it('prints the URL and durations', () => {
    expect(serviceUrl('api-1a2b3c4d.apps.example.com')).toBe(
      'https://api-1a2b3c4d.apps.example.com',
    );
    expect(formatDuration(47.4)).toBe('47ms');
    expect(formatDuration(1234)).toBe('1.23s');
  });

  it('makes one table row per trace', () => {
    expect(
      traceRows([
        {
          trace_id: 'abc',
          root_span_name: 'GET /orders',
          start_time: '2026-01-31T09:30:00.123Z',
          end_time: '2026-01-31T09:30:00.170Z',
          duration_ms: 47,
          span_count: 5,
          error: true,
        },
      ]),
    ).toEqual([['abc', 'GET /orders', '2026-01-31T09:30:00.123Z', '47ms', '5', 'yes']]);
  });
});
