import type { RouteMessage } from '@slipway/contracts';
import { routeMaps } from '../haproxy/maps';
import { MAX_TOMBSTONES, type Route, RouteTable } from './route-table';

const HOST = 'web-1a2b3c.localhost';

function upsert(version: number, overrides: Partial<RouteMessage & { type: 'upsert' }> = {}) {
  return {
    type: 'upsert',
    serviceId: 'svc-1',
    projectId: 'project-1',
    orgId: 'org-1',
    hostnames: [HOST],
    accessType: 'public',
    endpoints: [{ host: '10.0.0.1', port: 8080 }],
    version,
    ...overrides,
  } satisfies RouteMessage;
}

function route(version: number, overrides: Partial<Route> = {}): Route {
  return {
    serviceId: 'svc-1',
    orgId: 'org-1',
    projectId: 'project-1',
    hostnames: [HOST],
    accessType: 'public',
    endpoints: [{ host: '10.0.0.1', port: 8080 }],
    paused: false,
    sleeping: false,
    wakeFailure: null,
    deployed: true,
    version,
    ...overrides,
  };
}

describe('RouteTable', () => {
  it('routes a hostname to the service a message described', () => {
    const table = new RouteTable();
    expect(table.apply(upsert(1, { hostnames: ['Web-1A2B3C.localhost'] }))).toBe(true);
    expect(table.lookup(HOST)).toMatchObject({ serviceId: 'svc-1', version: 1, paused: false });
    expect(table.lookup('other.localhost')).toBeUndefined();
  });

  it('ignores a message older than or as old as the one it holds', () => {
    const table = new RouteTable();
    table.apply(upsert(5, { endpoints: [{ host: '10.0.0.5', port: 8080 }] }));
    expect(table.apply(upsert(4))).toBe(false);
    expect(table.apply(upsert(5))).toBe(false);
    expect(table.lookup(HOST)?.endpoints).toEqual([{ host: '10.0.0.5', port: 8080 }]);
  });

  it('keeps a deleted service deleted when an older upsert arrives late', () => {
    const table = new RouteTable();
    table.apply(upsert(1));
    expect(table.apply({ type: 'delete', serviceId: 'svc-1', version: 3 })).toBe(true);
    expect(table.lookup(HOST)).toBeUndefined();
    expect(table.apply(upsert(2))).toBe(false);
    expect(table.lookup(HOST)).toBeUndefined();
    expect(table.apply(upsert(4))).toBe(true);
    expect(table.lookup(HOST)).toBeDefined();
  });

  it('moves a hostname when the service is renamed, leaving nothing at the old one', () => {
    const table = new RouteTable();
    table.apply(upsert(1));
    table.apply(upsert(2, { hostnames: ['renamed.localhost'] }));
    expect(table.lookup(HOST)).toBeUndefined();
    expect(table.lookup('renamed.localhost')?.serviceId).toBe('svc-1');
  });

  it('carries the paused flag', () => {
    const table = new RouteTable();
    table.apply(upsert(1, { endpoints: [], paused: true }));
    expect(table.lookup(HOST)).toMatchObject({ paused: true, endpoints: [] });
  });

  describe('sleeping', () => {
    it('is asleep with no endpoints, never paused, and deployed unless the message says not', () => {
      const table = new RouteTable();
      table.apply(upsert(1, { endpoints: [], paused: false, sleeping: true }));
      expect(table.get('svc-1')).toMatchObject({
        sleeping: true,
        paused: false,
        deployed: true,
        wakeFailure: null,
        endpoints: [],
      });
    });

    it('carries why the last wake failed only while asleep', () => {
      const table = new RouteTable();
      table.apply(upsert(1, { endpoints: [], sleeping: true, wakeFailure: 'image pull failed' }));
      expect(table.get('svc-1')?.wakeFailure).toBe('image pull failed');
      table.apply(upsert(2, { wakeFailure: 'stale' }));
      expect(table.get('svc-1')).toMatchObject({ sleeping: false, wakeFailure: null });
    });

    it('a paused flag on a sleeping route does not make it paused', () => {
      const table = new RouteTable();
      table.apply(upsert(1, { endpoints: [], paused: true, sleeping: true }));
      expect(table.get('svc-1')).toMatchObject({ sleeping: true, paused: false });
    });

    it('knows a deleted service by its id', () => {
      const table = new RouteTable();
      table.apply(upsert(1));
      expect(table.wasDeleted('svc-1')).toBe(false);
      table.apply({ type: 'delete', serviceId: 'svc-1', version: 2 });
      expect(table.get('svc-1')).toBeUndefined();
      expect(table.wasDeleted('svc-1')).toBe(true);
    });
  });

  describe('replaceAll (resync from the database)', () => {
    it('takes a snapshot row of the same version, since fields like the access type change without one', () => {
      const table = new RouteTable();
      table.apply(upsert(7, { accessType: 'public' }));
      table.replaceAll([route(7, { accessType: 'private' })], table.mark());
      expect(table.lookup(HOST)?.accessType).toBe('private');
    });

    it('keeps a newer message that arrived while the snapshot was read', () => {
      const table = new RouteTable();
      table.apply(upsert(1));
      const since = table.mark();
      table.apply(upsert(2, { endpoints: [{ host: '10.0.0.2', port: 8080 }] }));
      table.replaceAll([route(1)], since);
      expect(table.lookup(HOST)?.endpoints).toEqual([{ host: '10.0.0.2', port: 8080 }]);
    });

    it('drops services the database no longer has, unless changed after the read began', () => {
      const table = new RouteTable();
      table.apply(upsert(1));
      table.apply(upsert(1, { serviceId: 'gone', hostnames: ['gone.localhost'] }));
      const since = table.mark();
      table.apply(upsert(1, { serviceId: 'new', hostnames: ['new.localhost'] }));
      table.replaceAll([route(1)], since);
      expect(table.lookup(HOST)).toBeDefined();
      expect(table.lookup('gone.localhost')).toBeUndefined();
      expect(table.lookup('new.localhost')).toBeDefined();
    });

    it('adds services missed while no message arrived', () => {
      const table = new RouteTable();
      table.replaceAll([route(3)], table.mark());
      expect(table.lookup(HOST)?.version).toBe(3);
    });
  });

  describe('all', () => {
    it('lists every live route once, whatever its hostnames, and no deleted one', () => {
      const table = new RouteTable();
      table.apply(upsert(1, { hostnames: [HOST, 'www.example.com'] }));
      table.apply(upsert(1, { serviceId: 'svc-2', hostnames: ['two.localhost'] }));
      table.apply({ type: 'delete', serviceId: 'svc-2', version: 2 });
      expect([...table.all()].map((r) => r.serviceId)).toEqual(['svc-1']);
    });
  });

  describe('deleted services', () => {
    it('keep their hostnames, with no endpoints, until something newer names the service', () => {
      const table = new RouteTable();
      table.apply(upsert(1, { hostnames: [HOST, 'shop.example.com'] }));
      table.apply({ type: 'delete', serviceId: 'svc-1', version: 2 });
      expect(table.lookup(HOST)).toBeUndefined();
      expect([...table.deleted()]).toEqual([
        expect.objectContaining({
          serviceId: 'svc-1',
          hostnames: [HOST, 'shop.example.com'],
          endpoints: [],
        }),
      ]);
      // A resync from a database that no longer has the service keeps the tombstone.
      table.replaceAll([], table.mark());
      expect([...table.deleted()]).toHaveLength(1);
      table.apply(upsert(3));
      expect([...table.deleted()]).toEqual([]);
      expect(table.lookup(HOST)?.version).toBe(3);
    });

    it('a delete for a service the table never had leaves no tombstone', () => {
      const table = new RouteTable();
      expect(table.apply({ type: 'delete', serviceId: 'never', version: 1 })).toBe(true);
      expect([...table.deleted()]).toEqual([]);
    });

    it(`keep only the newest ${MAX_TOMBSTONES}`, () => {
      const table = new RouteTable();
      for (let i = 0; i <= MAX_TOMBSTONES; i += 1) {
        table.apply(upsert(1, { serviceId: `svc-${i}`, hostnames: [`h${i}.localhost`] }));
        table.apply({ type: 'delete', serviceId: `svc-${i}`, version: 2 });
      }
      const kept = [...table.deleted()];
      expect(kept).toHaveLength(MAX_TOMBSTONES);
      expect(kept[0]?.serviceId).toBe('svc-1');
    });

    it('map their hostnames to the deleted state, unless a live service took one', () => {
      const table = new RouteTable();
      table.apply(upsert(1, { hostnames: [HOST, 'shop.example.com'] }));
      table.apply({ type: 'delete', serviceId: 'svc-1', version: 2 });
      table.apply(upsert(1, { serviceId: 'svc-2', hostnames: ['shop.example.com'] }));
      const maps = routeMaps(table.all(), table.deleted());
      expect(maps.hosts.get(HOST)).toBe('svc-1');
      expect(maps.hosts.get(`${HOST}.`)).toBe('svc-1');
      expect(maps.hosts.get('shop.example.com')).toBe('svc-2');
      expect(maps.services.get('svc-1')?.split('|')).toEqual([
        'public',
        'org-1',
        'project-1',
        'deleted',
        '0',
      ]);
      expect([...maps.endpoints.keys()].filter((key) => key.startsWith('svc-1'))).toEqual([]);
    });
  });

  describe('deployed', () => {
    it('takes what the message says, and otherwise whether it has endpoints', () => {
      const table = new RouteTable();
      table.apply(upsert(1, { endpoints: [], deployed: false }));
      expect(table.lookup(HOST)?.deployed).toBe(false);
      table.apply(upsert(2, { endpoints: [] }));
      expect(table.lookup(HOST)?.deployed).toBe(false);
      table.apply(upsert(3));
      expect(table.lookup(HOST)?.deployed).toBe(true);
      table.apply(upsert(4, { endpoints: [], deployed: true }));
      expect(table.lookup(HOST)?.deployed).toBe(true);
    });
  });
});
