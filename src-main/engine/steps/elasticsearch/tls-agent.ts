// HTTPS with a pinned certificate fingerprint (what Elasticsearch 8 prints at first start as
// "HTTP CA certificate SHA-256 fingerprint"). The chain is not checked against a CA store —
// self-signed is the normal case on-prem — but no request byte leaves before one certificate
// of the presented chain (the CA or the node's own) matches the pin.
import https from 'node:https';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';

/** "AB:CD:..." or "abcd..." -> "abcd..." (SHA-256, 64 hex digits). */
export function normalizeFingerprint(fp: string): string {
  return fp.replace(/[^0-9a-fA-F]/g, '').toLowerCase();
}

export class TlsFingerprintError extends Error {
  readonly code = 'TLS_FINGERPRINT_MISMATCH';
  constructor(
    readonly expected: string,
    readonly fingerprints: string[],
  ) {
    super(`No certificate presented by the server has the SHA-256 fingerprint ${expected}.`);
    this.name = 'TlsFingerprintError';
  }
}

/** SHA-256 fingerprints (normalized) of the leaf and every issuer the server sent. */
export function chainFingerprints(socket: tls.TLSSocket): string[] {
  const out: string[] = [];
  let cert: tls.DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  const seen = new Set<string>();
  while (cert && cert.fingerprint256 && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    out.push(normalizeFingerprint(cert.fingerprint256));
    cert = cert.issuerCertificate;
  }
  return out;
}

export class PinnedAgent extends https.Agent {
  constructor(
    options: https.AgentOptions,
    private readonly pin: string,
  ) {
    super({ ...options, rejectUnauthorized: false });
  }

  override createConnection(
    options: https.RequestOptions,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    const socket = tls.connect({ ...(options as tls.ConnectionOptions), rejectUnauthorized: false });
    let called = false;
    const finish = (err: Error | null): void => {
      if (called) return;
      called = true;
      socket.off('error', onError);
      callback?.(err, socket);
    };
    const onError = (err: Error): void => finish(err);
    socket.once('error', onError);
    socket.once('secureConnect', () => {
      const fps = chainFingerprints(socket);
      if (fps.includes(this.pin)) return finish(null);
      const err = new TlsFingerprintError(this.pin, fps);
      socket.destroy();
      finish(err);
    });
    return undefined;
  }
}
