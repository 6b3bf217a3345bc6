import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * A POST that resolves with the answer even when the server answers before reading the
 * whole body and closes the connection (413), which fetch reports as a network error.
 */
export function post(
  url: string,
  body: Buffer | string,
  headers: Record<string, string>,
  options: { chunked?: boolean; method?: string } = {},
): Promise<RawResponse> {
  const payload = typeof body === 'string' ? Buffer.from(body) : body;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? 'POST',
        headers: options.chunked ? headers : { ...headers, 'Content-Length': payload.length },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    // The server may stop reading early on purpose; only a missing answer is a failure.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    if (options.chunked) {
      for (let offset = 0; offset < payload.length; offset += 16 * 1024) {
        req.write(payload.subarray(offset, offset + 16 * 1024));
      }
      req.end();
    } else req.end(payload);
  });
}

export function json(response: RawResponse): unknown {
  return JSON.parse(response.body.toString('utf8'));
}

export function expectErrorBody(
  response: RawResponse,
  status: number,
  code: string,
): { code: string; message: string; request_id: string } {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  const body = json(response) as { error: { code: string; message: string; request_id: string } };
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error).toEqual({
    code,
    message: expect.any(String),
    request_id: expect.any(String),
  });
  return body.error;
}
