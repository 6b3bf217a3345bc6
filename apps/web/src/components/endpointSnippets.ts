import type { AccessType } from '../api/types';

/** What a snippet needs to know about the service it calls. */
export interface EndpointTarget {
  hostname: string;
  accessType: AccessType;
}

export const ACCESS_KEY_VARIABLE = 'SLIPWAY_ACCESS_KEY';

export const endpointUrl = ({ hostname }: EndpointTarget): string => `https://${hostname}/`;

/** Python with only the standard library; private services send the Access Key. */
export function pythonSnippet(target: EndpointTarget): string {
  const url = endpointUrl(target);
  if (target.accessType === 'public') {
    return [
      'import urllib.request',
      '',
      `with urllib.request.urlopen("${url}") as response:`,
      '    print(response.status, response.read().decode())',
      '',
    ].join('\n');
  }
  return [
    'import os',
    'import urllib.request',
    '',
    'request = urllib.request.Request(',
    `    "${url}",`,
    `    headers={"Authorization": f"Bearer {os.environ['${ACCESS_KEY_VARIABLE}']}"},`,
    ')',
    'with urllib.request.urlopen(request) as response:',
    '    print(response.status, response.read().decode())',
    '',
  ].join('\n');
}

export function curlSnippet(target: EndpointTarget): string {
  const url = endpointUrl(target);
  if (target.accessType === 'public') return `curl -i ${url}\n`;
  return `curl -i ${url} \\\n  -H "Authorization: Bearer $${ACCESS_KEY_VARIABLE}"\n`;
}
