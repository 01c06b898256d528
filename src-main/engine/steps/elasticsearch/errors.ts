// Elasticsearch failures in plain words, each with the fix an admin can act on.
import { ExpectedError } from '../../errors.js';
import { EsConnectionError, EsResponseError } from './http.js';
import { pathRepoFix } from './paths.js';

export interface EsErrorContext {
  node: string;
  username?: string;
  apiKey?: boolean;
  repository?: string;
  location?: string;
  /** path.repo as the nodes report it (for the yml line). */
  pathRepo?: string[];
  snapshot?: string;
}

const step = 'elasticsearch' as const;

const TLS_UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_UNTRUSTED',
]);

const TLS_FIX =
  'Give the CA certificate that signed the node\'s HTTP certificate as "caFile" (on ES 8 usually config/certs/http_ca.crt), ' +
  'or its SHA-256 fingerprint as "caFingerprint" (printed at the first start, or: openssl x509 -fingerprint -sha256 -in http_ca.crt), ' +
  'or — only on a trusted network — tick "trust self-signed" (insecureSkipVerify).';

export function esError(err: unknown, c: EsErrorContext): ExpectedError | Error {
  if (err instanceof ExpectedError) return err;
  if ((err as Error)?.name === 'AbortError') return err as Error;
  if (err instanceof EsConnectionError) return connectionError(err, c);
  if (err instanceof EsResponseError) return responseError(err, c);
  return err as Error;
}

function connectionError(err: EsConnectionError, c: EsErrorContext): ExpectedError {
  const node = err.node || c.node;
  const base = { step, cause: err, details: { node, code: err.code } };
  switch (err.code) {
    case 'ECONNREFUSED':
      return new ExpectedError(
        'ES_UNREACHABLE',
        `Nothing answers at ${node}: the connection was refused, so Elasticsearch is not running there or listens on another port.`,
        {
          ...base,
          fix: 'Start Elasticsearch on that host (systemctl start elasticsearch, or the Elasticsearch Windows service) or correct the node address and port (default 9200) in the profile.',
        },
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ExpectedError('ES_HOST_NOT_FOUND', `The host name of ${node} cannot be resolved.`, {
        ...base,
        fix: 'Check the spelling of the node address in the profile, or use the IP address of the Elasticsearch host.',
      });
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return new ExpectedError('ES_NO_ROUTE', `${node} cannot be reached from this machine (${err.code}).`, {
        ...base,
        fix: 'Check that the host is up and that a firewall lets this machine reach the Elasticsearch HTTP port (default 9200).',
      });
    case 'TIMEOUT':
      return new ExpectedError('ES_TIMEOUT', err.message, {
        ...base,
        fix: 'Elasticsearch is overloaded or stuck: check its health (GET _cluster/health) and its log, then run the backup again.',
      });
    case 'ECONNRESET':
    case 'EPIPE':
    case 'HPE_INVALID_CONSTANT':
    case 'EPROTO':
      return new ExpectedError('ES_CONNECTION_DROPPED', `${node} closed the connection (${err.code}).`, {
        ...base,
        fix: /^http:/.test(node)
          ? 'If the node uses HTTPS (Elasticsearch 8 does by default), start the node address with https://. Otherwise check that Elasticsearch is still running.'
          : 'Check that the node really speaks HTTPS on that port and that Elasticsearch is still running.',
      });
    case 'TLS_FINGERPRINT_MISMATCH':
      return new ExpectedError(
        'ES_TLS_FINGERPRINT_MISMATCH',
        `The certificate of ${node} does not match the CA fingerprint in the profile: ${err.message}`,
        {
          ...base,
          details: { ...base.details, presented: err.tlsFingerprints },
          fix: 'Copy the fingerprint again from the Elasticsearch node (openssl x509 -fingerprint -sha256 -in config/certs/http_ca.crt). If the certificate was renewed on purpose, update the profile; otherwise do not connect: someone may be in between.',
        },
      );
    case 'TLS_PINNED_CHAIN_INVALID':
      return new ExpectedError(
        'ES_TLS_PINNED_CHAIN_INVALID',
        `${node} presented the pinned CA certificate, but its own certificate does not verify against it: ${err.message} Nothing was sent to it.`,
        {
          ...base,
          fix: 'Someone may be in between this machine and Elasticsearch (the CA certificate is public; a forged certificate can name it as issuer). Do not connect until this is explained. If the node certificate was reissued by another CA on purpose, pin that CA\'s fingerprint ("caFingerprint").',
        },
      );
    case 'CA_FILE_UNREADABLE':
      return new ExpectedError('ES_CA_FILE_UNREADABLE', err.message, {
        ...base,
        fix: 'Point "caFile" at the PEM file of the CA certificate, readable by the account that runs the backup.',
      });
    case 'NO_NODE':
      return new ExpectedError('ES_NO_NODE', err.message, {
        ...base,
        fix: 'Set the Elasticsearch node address, e.g. http://octane-es:9200.',
      });
    default:
      if (TLS_UNTRUSTED.has(err.code))
        return new ExpectedError(
          'ES_TLS_UNTRUSTED',
          `The HTTPS certificate of ${node} is not trusted by this machine (${err.code}).`,
          { ...base, fix: TLS_FIX },
        );
      if (err.code === 'ERR_TLS_CERT_ALTNAME_INVALID')
        return new ExpectedError(
          'ES_TLS_WRONG_HOST',
          `The HTTPS certificate of ${node} was issued for another host name.`,
          {
            ...base,
            // A pinned CA does not lift this check: the host name is verified either way.
            fix: 'Use a host name or IP address the certificate names (its subjectAltName) in the node address, or reissue the node certificate with this address (elasticsearch-certutil http).',
          },
        );
      if (err.code === 'CERT_HAS_EXPIRED')
        return new ExpectedError('ES_TLS_EXPIRED', `The HTTPS certificate of ${node} has expired.`, {
          ...base,
          fix: 'Renew the Elasticsearch HTTP certificate (elasticsearch-certutil) and restart the node.',
        });
      if (err.code === 'CERT_NOT_YET_VALID')
        return new ExpectedError(
          'ES_TLS_NOT_YET_VALID',
          `The HTTPS certificate of ${node} is not valid yet.`,
          {
            ...base,
            fix: "Check the clock of this machine and of the Elasticsearch node (the certificate's start date is in the future for this machine).",
          },
        );
      return new ExpectedError(
        'ES_CONNECTION_FAILED',
        `Talking to ${node} failed (${err.code}): ${err.message}`,
        {
          ...base,
          fix: 'Check the node address, that Elasticsearch runs, and the network between this machine and the node.',
        },
      );
  }
}

function responseError(err: EsResponseError, c: EsErrorContext): ExpectedError {
  const base = {
    step,
    cause: err,
    details: { request: err.request, status: err.status, type: err.type, reason: err.reason },
  };
  const reason = err.reason ?? '';
  const who = c.apiKey ? 'the API key' : c.username ? `the user "${c.username}"` : 'an anonymous request';
  if (err.status === 401)
    return new ExpectedError(
      'ES_AUTH_FAILED',
      `Elasticsearch refused the credentials of ${who} (HTTP 401).`,
      {
        ...base,
        fix:
          c.username || c.apiKey
            ? 'Check the user name and password (or the API key, which may have expired or been invalidated) and save them again in the profile.'
            : 'This cluster has security enabled: enter a user name and password or an API key in the profile.',
      },
    );
  if (err.status === 403)
    return new ExpectedError(
      'ES_FORBIDDEN',
      `Elasticsearch does not allow ${who} to do ${err.request}: ${reason}`,
      {
        ...base,
        fix: 'Give the backup account a role with the cluster privileges "monitor" and "manage" (registering repositories, creating and deleting snapshots) and the index privileges "monitor" and "view_index_metadata" on the indices to back up; or use an account with the superuser role.',
      },
    );
  const type = err.type ?? '';
  if (/doesn't match any of the locations specified by path\.repo|path\.repo/.test(reason))
    return locationNotInPathRepo(c, err);
  if (type === 'repository_verification_exception')
    return new ExpectedError(
      'ES_REPOSITORY_VERIFICATION',
      `Not every Elasticsearch node can write to the repository folder ${c.location ?? ''}: ${reason}`,
      {
        ...base,
        fix: `The folder must exist on every node (or, in a cluster, be the same shared storage — NFS or SMB — mounted at the same path on every master and data node) and be writable by the account Elasticsearch runs as (often "elasticsearch"): e.g. chown -R elasticsearch:elasticsearch ${c.location ?? '<location>'}.`,
      },
    );
  if (type === 'concurrent_snapshot_execution_exception' || type === 'snapshot_in_progress_exception')
    return new ExpectedError(
      'ES_SNAPSHOT_RUNNING',
      `Another snapshot or snapshot deletion is running in repository "${c.repository ?? ''}": ${reason}`,
      {
        ...base,
        fix: "Wait until it ends (GET _snapshot/_status lists running snapshots) and run the backup again; if a snapshot lifecycle policy (SLM) snapshots at the same time, move its schedule or this backup's.",
      },
    );
  if (type === 'index_not_found_exception')
    return new ExpectedError(
      'ES_INDEX_NOT_FOUND',
      `An index or pattern of the profile matches no index: ${reason}`,
      {
        ...base,
        fix: 'Correct the index patterns in the profile (GET _cat/indices lists the indices) or leave them empty to back up every non-system index.',
      },
    );
  if (type === 'invalid_snapshot_name_exception')
    return new ExpectedError(
      'ES_SNAPSHOT_NAME_TAKEN',
      `Elasticsearch refused the snapshot name "${c.snapshot ?? ''}": ${reason}`,
      {
        ...base,
        fix: 'A snapshot with this name already exists in the repository: run the backup again (every run uses a new name).',
      },
    );
  if (type === 'snapshot_missing_exception')
    return new ExpectedError(
      'ES_SNAPSHOT_MISSING',
      `The snapshot "${c.snapshot ?? ''}" is no longer in repository "${c.repository ?? ''}": ${reason}`,
      {
        ...base,
        fix: 'Someone or something (a lifecycle policy, another tool) deleted it while the backup ran; run the backup again.',
      },
    );
  if (type === 'repository_missing_exception')
    return new ExpectedError(
      'ES_REPOSITORY_MISSING',
      `The snapshot repository "${c.repository ?? ''}" is not registered in Elasticsearch.`,
      {
        ...base,
        fix: 'The backup registers it by itself; if it was removed during the run, run the backup again.',
      },
    );
  if (err.status === 503 || type === 'master_not_discovered_exception' || type === 'cluster_block_exception')
    return new ExpectedError(
      'ES_CLUSTER_UNAVAILABLE',
      `The Elasticsearch cluster cannot serve ${err.request} right now: ${reason}`,
      {
        ...base,
        fix: 'The cluster has no elected master or is blocked: check GET _cluster/health and the node logs, then run the backup again.',
      },
    );
  return new ExpectedError(
    'ES_REQUEST_FAILED',
    `Elasticsearch answered ${err.request} with HTTP ${err.status}${type ? ` (${type})` : ''}: ${reason}`,
    {
      ...base,
      fix: 'Read the reason above and the Elasticsearch log; correct the cause and run the backup again.',
    },
  );
}

export function locationNotInPathRepo(c: EsErrorContext, cause?: unknown): ExpectedError {
  const location = c.location ?? '<location>';
  return new ExpectedError(
    'ES_LOCATION_NOT_IN_PATH_REPO',
    `Elasticsearch may only write snapshots under the folders listed in its path.repo setting, and ${location} is not among them` +
      ` (path.repo is ${c.pathRepo && c.pathRepo.length > 0 ? c.pathRepo.join(', ') : 'not set'}).`,
    {
      step,
      cause,
      details: { location, pathRepo: c.pathRepo ?? [] },
      fix: pathRepoFix(location, c.pathRepo ?? []),
    },
  );
}
