import { edgeErrors } from '../http/edge-error';

/**
 * The files HAProxy reads beside its configuration: the answers it gives before a request is
 * parsed, and the Lua action that strips the fields a `Connection` header names.
 */

/** The static answers HAProxy gives before a request is parsed (no request id exists yet). */
export function errorFiles(): Record<'400.http' | '408.http', string> {
  const file = (status: string, code: string, message: string): string => {
    const body = JSON.stringify({ error: { code, message, request_id: 'none' } });
    return [
      `HTTP/1.1 ${status}`,
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Cache-Control: no-cache',
      'Connection: close',
      '',
      body,
    ].join('\r\n');
  };
  return {
    '400.http': file('400 Bad Request', 'bad_request', edgeErrors.badRequest().message),
    '408.http': file('408 Request Timeout', 'request_timeout', 'The request was not sent in time'),
  };
}

/** Strips the fields a `Connection` header names (RFC 9110 §7.6.1); runs only when one does. */
export const HOP_BY_HOP_LUA = `-- Rendered by the Slipway edge agent.
local standard = { ["close"] = true, ["keep-alive"] = true, ["upgrade"] = true }

local function named(headers)
  local names = {}
  local connection = headers["connection"]
  if connection == nil then return names end
  for _, value in pairs(connection) do
    for token in string.gmatch(value, "[^,%s]+") do
      local name = string.lower(token)
      if not standard[name] then names[#names + 1] = name end
    end
  end
  return names
end

core.register_action("slipway_strip_request", { "http-req" }, function(txn)
  for _, name in ipairs(named(txn.http:req_get_headers())) do txn.http:req_del_header(name) end
end)

core.register_action("slipway_strip_response", { "http-res" }, function(txn)
  for _, name in ipairs(named(txn.http:res_get_headers())) do txn.http:res_del_header(name) end
end)
`;
