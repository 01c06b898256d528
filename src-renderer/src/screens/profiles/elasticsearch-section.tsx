import { Button, Field, Input, Radio, RadioGroup, Switch } from '@fluentui/react-components';
import { useState } from 'react';
import type { ElasticsearchConfig } from '@contract/profile.js';
import type { ElasticsearchConnectionRequest } from '@contract/ui.js';
import { call, useApi } from '../../api/api-context.js';
import { errorInfo } from '../../api/api-error.js';
import { FolderField } from '../../components/folder-field.js';
import { SecretField } from '../../components/secret-field.js';
import { PlugConnectedRegular, SearchRegular } from '../../icons.js';
import { ConnectionResult, type TestState } from './connection-result.js';
import { SectionCard, useFieldStyles } from './section-card.js';
import { fieldHint, fieldLabel } from '@contract/profile-fields.js';
import { orLabel, schemaField, str, type SectionProps } from './section-props.js';
import { TextField } from '../../components/text-field.js';

type Auth = 'none' | 'basic' | 'apiKey';

export function ElasticsearchSection(props: SectionProps) {
  const api = useApi();
  const f = useFieldStyles();
  const { state, set, problem } = props;
  const es = state.profile.elasticsearch as ElasticsearchConfig;
  const stored = state.original?.secrets;
  const [auth, setAuth] = useState<Auth>(
    es.username !== undefined
      ? 'basic'
      : stored?.elasticsearchApiKey || es.apiKeyEnv !== undefined
        ? 'apiKey'
        : 'none',
  );
  const [test, setTest] = useState<TestState>({ busy: false });
  const setSecret = (
    key: 'elasticsearchPassword' | 'elasticsearchApiKey',
    v: string | null | undefined,
  ): void => props.update((s) => ({ ...s, secrets: { ...s.secrets, [key]: v } }));

  const runTest = async (): Promise<void> => {
    setTest({ busy: true });
    const req: ElasticsearchConnectionRequest = { config: es };
    if (state.original) req.profileName = state.original.profile.profile;
    if (typeof state.secrets.elasticsearchPassword === 'string')
      req.password = state.secrets.elasticsearchPassword;
    if (typeof state.secrets.elasticsearchApiKey === 'string') req.apiKey = state.secrets.elasticsearchApiKey;
    try {
      setTest({ busy: false, result: await call(api, 'discovery:test-elasticsearch', req) });
    } catch (err) {
      setTest({ busy: false, error: errorInfo(err) });
    }
  };

  return (
    <SectionCard
      testId="section-elasticsearch"
      icon={<SearchRegular fontSize={24} />}
      title="Elasticsearch"
      description="Taken second: a snapshot into a registered fs repository (its folder must be in path.repo on every node)."
      enabled={state.enabled.elasticsearch}
      onEnabledChange={(on) => props.update((s) => ({ ...s, enabled: { ...s.enabled, elasticsearch: on } }))}
    >
      <TextField
        {...schemaField('elasticsearch.node')}
        value={str(es.node)}
        problem={problem('elasticsearch.node')}
        required
        className={f.wide}
        placeholder="http://es01.example.local:9200"
        onChange={(v) => set('elasticsearch.node', v)}
      />
      <Field label="Authentication" className={f.wide}>
        <RadioGroup
          layout="horizontal"
          value={auth}
          onChange={(_e, d) => {
            const next = d.value as Auth;
            setAuth(next);
            if (next !== 'basic') {
              set('elasticsearch.username', undefined);
              if (stored?.elasticsearchPassword) setSecret('elasticsearchPassword', null);
            }
            if (next !== 'apiKey' && stored?.elasticsearchApiKey) setSecret('elasticsearchApiKey', null);
          }}
        >
          <Radio value="none" label="None" />
          <Radio value="basic" label="User and password" />
          <Radio value="apiKey" label="API key" />
        </RadioGroup>
      </Field>
      {auth === 'basic' ? (
        <>
          <TextField
            {...schemaField('elasticsearch.username')}
            value={str(es.username)}
            problem={problem('elasticsearch.username')}
            onChange={(v) => set('elasticsearch.username', v)}
          />
          <SecretField
            label={fieldLabel('elasticsearch.password')}
            name="elasticsearch.password"
            stored={stored?.elasticsearchPassword ?? false}
            value={state.secrets.elasticsearchPassword}
            problem={problem('elasticsearch.password')}
            onChange={(v) => setSecret('elasticsearchPassword', v)}
          />
        </>
      ) : null}
      {auth === 'apiKey' ? (
        <SecretField
          label="API key"
          name="elasticsearch.apiKey"
          stored={stored?.elasticsearchApiKey ?? false}
          value={state.secrets.elasticsearchApiKey}
          onChange={(v) => setSecret('elasticsearchApiKey', v)}
        />
      ) : null}
      {str(es.node).startsWith('https:') ? (
        <>
          <FolderField
            {...schemaField('elasticsearch.caFile')}
            pick="certificate"
            value={str(es.caFile)}
            problem={problem('elasticsearch.caFile')}
            onChange={(v) => set('elasticsearch.caFile', v)}
          />
          <TextField
            {...schemaField('elasticsearch.caFingerprint')}
            label={orLabel('elasticsearch.caFingerprint')}
            value={str(es.caFingerprint)}
            problem={problem('elasticsearch.caFingerprint')}
            onChange={(v) => set('elasticsearch.caFingerprint', v)}
          />
          <Switch
            className={f.wide}
            label={fieldLabel('elasticsearch.insecureSkipVerify')}
            checked={es.insecureSkipVerify === true}
            onChange={(_e, d) => set('elasticsearch.insecureSkipVerify', d.checked ? true : undefined)}
          />
        </>
      ) : null}
      <TextField
        {...schemaField('elasticsearch.repository')}
        value={str(es.repository)}
        problem={problem('elasticsearch.repository')}
        required
        onChange={(v) => set('elasticsearch.repository', v)}
      />
      <FolderField
        {...schemaField('elasticsearch.location')}
        required
        browse={false}
        placeholder="/mnt/es-backup or D:\es-backup"
        value={str(es.location)}
        problem={problem('elasticsearch.location')}
        onChange={(v) => set('elasticsearch.location', v)}
      />
      <FolderField
        {...schemaField('elasticsearch.copyFrom')}
        value={str(es.copyFrom)}
        problem={problem('elasticsearch.copyFrom')}
        onChange={(v) => set('elasticsearch.copyFrom', v)}
      />
      <Field
        label={fieldLabel('elasticsearch.indices')}
        hint={fieldHint('elasticsearch.indices')}
        validationMessage={problem('elasticsearch.indices')}
        validationState={problem('elasticsearch.indices') ? 'error' : 'none'}
      >
        <Input
          name="elasticsearch.indices"
          value={(es.indices ?? []).join(', ')}
          onChange={(_e, d) =>
            set(
              'elasticsearch.indices',
              d.value.split(',').map((x) => x.trim()),
            )
          }
        />
      </Field>
      <div className={`${f.wide} ${f.row}`}>
        <Button icon={<PlugConnectedRegular />} onClick={() => void runTest()} disabled={test.busy}>
          Test
        </Button>
        <ConnectionResult state={test} busyText="Asking Elasticsearch…" />
      </div>
    </SectionCard>
  );
}
