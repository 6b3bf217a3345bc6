import { redactEdgeToken } from '@slipway/contracts';
import { type Params } from 'nestjs-pino';
import { type AppConfig } from '../../config/config.schema';
import { REQUEST_ID_HEADER, resolveRequestId } from './request-id';

/** Structured JSON logs with a request id on every line; credentials never reach a log. */
export function loggerOptions(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.log.level,
      genReqId: (req, res) => {
        const id = resolveRequestId(req);
        res.setHeader(REQUEST_ID_HEADER, id);
        return id;
      },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["idempotency-key"]',
          'req.query.edge_token',
          'res.headers["set-cookie"]',
          '*.token',
          '*.key',
          '*.secretKey',
          '*.password',
        ],
        censor: '[redacted]',
      },
      // A signed edge URL's token may appear in a query string; paths cannot redact inside a string.
      serializers: {
        req: (req: { url?: string }) => {
          if (typeof req.url === 'string') req.url = redactEdgeToken(req.url);
          return req;
        },
      },
      customProps: () => ({ service: 'slipway-api' }),
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    },
  };
}
