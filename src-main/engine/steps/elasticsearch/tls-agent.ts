// HTTPS with a pinned certificate fingerprint (what Elasticsearch 8 prints at first start as
// "HTTP CA certificate SHA-256 fingerprint"). Self-signed CAs are the normal case on-prem, so the
// chain cannot be checked against the machine's CA store. Instead the pinned certificate becomes
// the ONLY trust anchor of an otherwise normal TLS verification:
//
//  1. a first handshake (nothing is sent on it) finds, among the certificates the server
//     presents, the one whose SHA-256 equals the pin — its exact bytes, so it is the real one;
//  2. every connection that carries a request is then verified by OpenSSL with that certificate
//     as the only CA: every signature from the leaf up to it, validity dates, and the host name.
//
// Merely finding the pinned certificate in the presented chain proves nothing (the CA
// certificate is public): a man in the middle can send the real CA certificate next to a leaf
// of its own whose issuer NAME equals the CA's. Step 2 refuses that leaf, because its
// signature does not verify with the pinned CA's key.
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

/**
 * The pinned certificate was presented, but the server's own certificate does not chain to it
 * (a forged certificate, a wrong signature): `reason` is OpenSSL's verdict.
 */
export class TlsPinnedChainError extends Error {
  readonly code = 'TLS_PINNED_CHAIN_INVALID';
  constructor(
    readonly reason: string,
    readonly opensslCode: string,
  ) {
    super(`The server's certificate does not verify against the pinned certificate: ${reason}.`);
    this.name = 'TlsPinnedChainError';
  }
}

// Verification failures that keep their own (clearer) meaning when a pin is set.
const OWN_MEANING = new Set([
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EPROTO',
]);

/** SHA-256 fingerprints (normalized) of the leaf and every issuer the server sent. */
export function chainFingerprints(socket: tls.TLSSocket): string[] {
  return presentedChain(socket).map((c) => normalizeFingerprint(c.fingerprint256));
}

function presentedChain(socket: tls.TLSSocket): tls.DetailedPeerCertificate[] {
  const out: tls.DetailedPeerCertificate[] = [];
  let cert: tls.DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  const seen = new Set<string>();
  while (cert && cert.fingerprint256 && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    out.push(cert);
    cert = cert.issuerCertificate;
  }
  return out;
}

function toPem(der: Buffer): string {
  const b64 = der.toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}-----END CERTIFICATE-----\n`;
}

type ConnectOptions = tls.ConnectionOptions;

/** Handshake only: returns the presented certificate whose fingerprint is the pin (PEM). */
function findPinned(options: ConnectOptions, pin: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ ...options, rejectUnauthorized: false });
    socket.once('error', reject);
    socket.once('secureConnect', () => {
      const chain = presentedChain(socket);
      socket.destroy();
      const pinned = chain.find((c) => normalizeFingerprint(c.fingerprint256) === pin);
      if (pinned) resolve(toPem(pinned.raw));
      else
        reject(
          new TlsFingerprintError(
            pin,
            chain.map((c) => normalizeFingerprint(c.fingerprint256)),
          ),
        );
    });
  });
}

/** A normal verified handshake with `anchor` as the only CA (partial chain: a pinned leaf works too). */
function verifiedConnection(options: ConnectOptions, anchor: string): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      ...options,
      ca: [anchor],
      allowPartialTrustChain: true,
      rejectUnauthorized: true,
    });
    const onError = (err: NodeJS.ErrnoException): void => {
      socket.destroy();
      const code = String(err.code ?? '');
      if (code === '' || OWN_MEANING.has(code) || !/^[A-Z_]+$/.test(code)) reject(err);
      else reject(new TlsPinnedChainError(err.message, code));
    };
    socket.once('error', onError);
    socket.once('secureConnect', () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}

export class PinnedAgent extends https.Agent {
  /** The pinned certificate (PEM), learned from the first handshake. */
  private anchor: Promise<string> | undefined;

  constructor(
    options: https.AgentOptions,
    private readonly pin: string,
  ) {
    // A CA file (if any) is not used: with a pin, the pinned certificate is the only anchor.
    const rest = { ...options };
    delete rest.ca;
    super({ ...rest, rejectUnauthorized: true });
  }

  override createConnection(
    options: https.RequestOptions,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    const opts: ConnectOptions = { ...(options as ConnectOptions) };
    delete opts.ca;
    const anchor = (this.anchor ??= findPinned(opts, this.pin));
    // A failed first handshake must be retried on the next request, not remembered.
    anchor.catch(() => {
      if (this.anchor === anchor) this.anchor = undefined;
    });
    anchor.then(
      (pem) =>
        verifiedConnection(opts, pem).then(
          (socket) => callback?.(null, socket),
          (err: Error) => callback?.(err, undefined as unknown as Duplex),
        ),
      (err: Error) => callback?.(err, undefined as unknown as Duplex),
    );
    return undefined;
  }
}
