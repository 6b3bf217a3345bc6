import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { service } from '../test/fixtures';
import { renderWithRouter } from '../test/render';
import { EndpointTab } from './EndpointTab';
import { curlSnippet, pythonSnippet } from './endpointSnippets';

const hostname = 'hello-1a2b3c4d.apps.example.com';

describe('the endpoint snippets', () => {
  it('call https://<hostname> with the Access Key for a private service', () => {
    const target = { hostname, accessType: 'private' } as const;
    const python = pythonSnippet(target);
    expect(python).toContain(`"https://${hostname}/"`);
    expect(python).toContain('import urllib.request');
    expect(python).toContain(`"Authorization": f"Bearer {os.environ['SLIPWAY_ACCESS_KEY']}"`);
    expect(curlSnippet(target)).toContain(`-H "Authorization: Bearer $SLIPWAY_ACCESS_KEY"`);
  });

  it('send no Authorization header to a public service', () => {
    const target = { hostname, accessType: 'public' } as const;
    expect(pythonSnippet(target)).toContain(`https://${hostname}/`);
    expect(pythonSnippet(target)).not.toContain('Authorization');
    expect(curlSnippet(target)).toBe(`curl -i https://${hostname}/\n`);
  });
});

describe('the Endpoint tab', () => {
  it('shows the Python snippet with the hostname and the Authorization header when private', () => {
    renderWithRouter(<EndpointTab service={service({ id: 's1', name: 'hello' })} />);
    const snippet = screen.getByTestId('python-snippet').textContent ?? '';
    expect(snippet).toContain(`https://${hostname}/`);
    expect(snippet).toContain('Authorization');
    expect(screen.getByText('This service is private')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy the Python snippet' })).toBeTruthy();
  });

  it('leaves the Authorization header out when public', () => {
    const publicService = service({
      id: 's1',
      name: 'hello',
      access_control: { access_type: 'public' },
    });
    renderWithRouter(<EndpointTab service={publicService} />);
    const snippet = screen.getByTestId('python-snippet').textContent ?? '';
    expect(snippet).toContain(`https://${hostname}/`);
    expect(snippet).not.toContain('Authorization');
    expect(screen.getByTestId('curl-snippet').textContent).not.toContain('Authorization');
  });
});
