import { cpuCoresOf, memoryBytesOf } from './docker-usage';

describe('docker usage from a stats sample', () => {
  it('gives cores as the container’s share of host CPU time times the host’s CPUs', () => {
    const sample = {
      precpu_stats: { cpu_usage: { total_usage: 1_000 }, system_cpu_usage: 100_000 },
      cpu_stats: {
        cpu_usage: { total_usage: 6_000 },
        system_cpu_usage: 120_000,
        online_cpus: 4,
      },
    };
    // 5,000 of 20,000 ns of host time on 4 CPUs: one core busy.
    expect(cpuCoresOf(sample)).toBe(1);
    expect(cpuCoresOf({ cpu_stats: sample.cpu_stats })).toBeCloseTo((6_000 / 120_000) * 4);
    expect(cpuCoresOf({})).toBe(0);
  });

  it('gives memory without the reclaimable page cache (cgroup v2 and v1)', () => {
    expect(memoryBytesOf({ memory_stats: { usage: 1000, stats: { inactive_file: 300 } } })).toBe(
      700,
    );
    expect(
      memoryBytesOf({ memory_stats: { usage: 1000, stats: { total_inactive_file: 100 } } }),
    ).toBe(900);
    expect(memoryBytesOf({ memory_stats: { usage: 1000 } })).toBe(1000);
    expect(memoryBytesOf({})).toBe(0);
  });
});
