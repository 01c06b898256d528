// One connection setup for the step, its preflight and the UI's "Test" button.
import type { ElasticsearchConfig, RunSecrets } from '../../../contract/profile.js';
import { ExpectedError } from '../../errors.js';
import { EsApi, type Recorder } from './api.js';
import type { EsErrorContext } from './errors.js';
import { EsHttp } from './http.js';

export interface EsSession {
  http: EsHttp;
  api: EsApi;
  ec: EsErrorContext;
}

export function openSession(
  config: ElasticsearchConfig,
  secrets: RunSecrets,
  record?: Recorder,
  signal?: AbortSignal,
): EsSession {
  let http: EsHttp;
  try {
    http = new EsHttp(config, secrets);
  } catch (err) {
    throw new ExpectedError(
      'ES_BAD_NODE_ADDRESS',
      `An Elasticsearch node address in the profile is not a valid URL: ${(err as Error).message}`,
      {
        step: 'elasticsearch',
        cause: err,
        fix: 'Write each node as http://host:9200 or https://host:9200.',
      },
    );
  }
  const api = new EsApi(http, record, signal);
  const ec: EsErrorContext = {
    node: http.node,
    apiKey: !!secrets.elasticsearchApiKey,
    repository: config.repository,
    location: config.location,
  };
  if (config.username && !secrets.elasticsearchApiKey) ec.username = config.username;
  return { http, api, ec };
}

/** Elasticsearch snapshot names: lowercase, none of \ / * ? " < > | , # : or spaces, not starting with "_" or "-". */
export function snapshotNameFor(setName: string): string {
  const n = setName
    .toLowerCase()
    .replace(/[\\/*?"<>|,#:\s]+/g, '-')
    .replace(/^[_\-.]+/, '');
  return n.length > 0 ? n : 'octane-backup';
}
