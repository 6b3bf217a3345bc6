import { edgeErrors } from './edge-error';
import { errorBody, rawErrorResponse } from './responses';

describe('rawErrorResponse', () => {
  it('is the error body as a complete HTTP/1.1 answer that closes the connection', () => {
    const error = edgeErrors.wakeTimeout(60_000);
    const raw = rawErrorResponse(error, 'req-1');
    const [head = '', body] = raw.split('\r\n\r\n');
    expect(body).toBe(errorBody(error, 'req-1'));
    expect(head.split('\r\n')).toEqual([
      'HTTP/1.1 503 Service Unavailable',
      'Retry-After: 5',
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(body ?? '')}`,
      'X-Request-Id: req-1',
      'Connection: close',
    ]);
    expect(JSON.parse(body ?? '')).toEqual({
      error: {
        code: 'service_unavailable',
        message: 'The service did not wake in time (waited 60 s); retry shortly',
        request_id: 'req-1',
      },
    });
  });
});
