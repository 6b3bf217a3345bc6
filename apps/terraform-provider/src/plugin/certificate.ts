/**
 * The plugin's side of go-plugin's automatic mutual TLS: a fresh self-signed certificate
 * for `localhost` per run (the host pins it from the handshake line), as the host makes
 * its own and passes it in PLUGIN_CLIENT_CERT.
 */
// @peculiar/x509 resolves its parts through tsyringe, which needs the metadata polyfill.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

export interface ServerCertificate {
  readonly certPem: string;
  readonly keyPem: string;
  /** The DER bytes, as the handshake line carries them (base64 without padding). */
  readonly der: Uint8Array;
}

const VALIDITY_MS = 24 * 60 * 60 * 1000;

export async function createServerCertificate(): Promise<ServerCertificate> {
  x509.cryptoProvider.set(webcrypto as Crypto);
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: 'CN=localhost, O=Slipway',
    keys,
    signingAlgorithm: algorithm,
    notBefore: new Date(now - 30_000),
    notAfter: new Date(now + VALIDITY_MS),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature |
          x509.KeyUsageFlags.keyEncipherment |
          x509.KeyUsageFlags.keyAgreement |
          x509.KeyUsageFlags.keyCertSign,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([
        x509.ExtendedKeyUsage.serverAuth,
        x509.ExtendedKeyUsage.clientAuth,
      ]),
      new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'localhost' }]),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  const keyPem = x509.PemConverter.encode(pkcs8, 'PRIVATE KEY');
  return { certPem: cert.toString('pem'), keyPem, der: new Uint8Array(cert.rawData) };
}
