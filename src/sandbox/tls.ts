// The sandbox's own certificate authority and the serving certificate it signs (node-forge for X.509,
// node:crypto for the RSA keys, which is much faster than forge's pure-JS key generation).
import forge from 'node-forge';
import { generateKeyPair, randomBytes } from 'node:crypto';

export interface CertAuthority {
  certPem: string;
  keyPem: string;
}

export interface ServingCert {
  certPem: string;
  keyPem: string;
}

interface KeyPair {
  pub: forge.pki.PublicKey;
  priv: forge.pki.PrivateKey;
  privPem: string;
}

function fromPem(privPem: string): KeyPair {
  const priv = forge.pki.privateKeyFromPem(privPem) as forge.pki.rsa.PrivateKey;
  const pub = forge.pki.setRsaPublicKey(priv.n, priv.e);
  return { pub, priv, privPem };
}

/** An RSA-2048 key pair, generated off the main thread. */
export function newKeyPem(): Promise<string> {
  return new Promise((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: 2048 }, (err, _pub, privateKey) => {
      if (err) reject(err);
      else resolve(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
    }),
  );
}

function serial(): string {
  const b = randomBytes(16);
  b[0] = b[0]! & 0x7f; // positive
  return b.toString('hex');
}

/** A new self-signed CA valid for ten years, using the given RSA private key (PEM). */
export function createCA(keyPem: string, commonName = 'bosun-sandbox-ca'): CertAuthority {
  const { pub, priv, privPem } = fromPem(keyPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = pub;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 10 * 365 * 24 * 3600_000);
  const attrs = [{ name: 'commonName', value: commonName }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(priv as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: privPem };
}

/** A serving certificate for 127.0.0.1, ::1 and localhost (plus extra host names) signed by `ca`. */
export function createServingCert(ca: CertAuthority, keyPem: string, hosts: string[] = []): ServingCert {
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem);
  const { pub, privPem } = fromPem(keyPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = pub;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 2 * 365 * 24 * 3600_000);
  cert.setSubject([{ name: 'commonName', value: 'bosun-sandbox' }]);
  cert.setIssuer(caCert.subject.attributes);
  const altNames: Array<{ type: number; value?: string; ip?: string }> = [
    { type: 2, value: 'localhost' },
    { type: 7, ip: '127.0.0.1' },
    { type: 7, ip: '::1' },
  ];
  for (const h of hosts) altNames.push(/^[\d.]+$|:/.test(h) ? { type: 7, ip: h } : { type: 2, value: h });
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames },
  ]);
  cert.sign(caKey as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: privPem };
}
