import { OctetCountingDecoder } from './log-receiver';

describe('OctetCountingDecoder', () => {
  function frames(chunks: string[]): string[] {
    const decoder = new OctetCountingDecoder();
    const out: string[] = [];
    for (const chunk of chunks) decoder.push(Buffer.from(chunk), (text) => out.push(text));
    return out;
  }

  it('splits frames, within and across chunks, multi-byte text included', () => {
    const é = 'é'; // two bytes in UTF-8
    expect(frames([`3 abc4 d${é}\n`])).toEqual(['abc', `d${é}`]);
    expect(frames(['1', '0 0123', '456789', '2 x'])).toEqual(['0123456789']);
    expect(frames(['5 a\tb\nc', '1 z'])).toEqual(['a\tb\nc', 'z']);
  });

  it('refuses a stream that is not octet-counted', () => {
    expect(() => frames(['hello world'])).toThrow(/octet-counted/);
  });
});
