import fc from 'fast-check';
import { Cpu, QuantityError, Size, maxOf, minOf } from './quantities';

describe('Cpu', () => {
  it.each([
    ['500m', 500, '500m'],
    ['2', 2000, '2'],
    ['0.25', 250, '250m'],
    ['1500m', 1500, '1500m'],
  ])('parses %s', (text, millicores, canonical) => {
    const cpu = Cpu.parse(text);
    expect(cpu.millicores).toBe(millicores);
    expect(cpu.toString()).toBe(canonical);
  });

  it.each(['', 'abc', '-1', '0', '0.0001', '1.5m', '2 cores'])(
    'rejects %j with the expected form',
    (text) => {
      expect(() => Cpu.parse(text)).toThrow(QuantityError);
    },
  );

  it('builds from factories and refuses zero', () => {
    expect(Cpu.millis(250).toString()).toBe('250m');
    expect(Cpu.cores(4).toString()).toBe('4');
    expect(() => Cpu.millis(0)).toThrow('CPU millicores must be a positive whole number (got 0)');
  });

  it('property: toString parses back to the same value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (millicores) => {
        expect(Cpu.parse(Cpu.millis(millicores).toString()).millicores).toBe(millicores);
      }),
    );
  });
});

describe('Size', () => {
  it.each([
    ['512Mi', 512 * 1024 ** 2, '512Mi'],
    ['1Gi', 1024 ** 3, '1Gi'],
    ['1024Mi', 1024 ** 3, '1Gi'],
    ['500M', 500_000_000, '500000000'],
    ['1000', 1000, '1000'],
  ])('parses %s', (text, bytes, canonical) => {
    const size = Size.parse(text);
    expect(size.bytes).toBe(bytes);
    expect(size.toString()).toBe(canonical);
  });

  it.each(['', '1.5Gi', 'Gi', '-1Mi', '1GB'])('rejects %j', (text) => {
    expect(() => Size.parse(text)).toThrow(QuantityError);
  });

  it('compares and picks extremes', () => {
    const small = Size.mebibytes(512);
    const large = Size.gibibytes(1);
    expect(maxOf(small, large)).toBe(large);
    expect(minOf(small, large)).toBe(small);
    expect(maxOf(Cpu.millis(1), Cpu.millis(2)).millicores).toBe(2);
  });

  it('property: toString parses back to the same value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 45 }), (bytes) => {
        expect(Size.parse(Size.bytes(bytes).toString()).bytes).toBe(bytes);
      }),
    );
  });
});
