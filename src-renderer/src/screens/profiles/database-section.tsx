import { Button, Field, Radio, RadioGroup, Switch } from '@fluentui/react-components';
import { useState } from 'react';
import type { DatabaseConfig } from '@contract/profile.js';
import type { DatabaseConnectionRequest, DatabaseDiscovery } from '@contract/ui.js';
import { call, useApi } from '../../api/api-context.js';
import { errorInfo } from '../../api/api-error.js';
import { FolderField } from '../../components/folder-field.js';
import { SecretField } from '../../components/secret-field.js';
import { DatabaseRegular, PlugConnectedRegular, SearchRegular } from '../../icons.js';
import { ConnectionResult, type TestState } from './connection-result.js';
import { NameChecklist } from './name-checklist.js';
import { SectionCard, useFieldStyles } from './section-card.js';
import { fieldHint, fieldLabel } from '@contract/profile-fields.js';
import { numberOrUndefined, orLabel, schemaField, str, type SectionProps } from './section-props.js';
import { TextField } from '../../components/text-field.js';

const ENGINE_DEFAULTS: Record<DatabaseConfig['engine'], DatabaseConfig> = {
  sqlserver: { engine: 'sqlserver', server: '', databases: [], serverBackupDir: '' },
  oracle: { engine: 'oracle', connectString: '', user: '', schemas: [], directory: 'DATA_PUMP_DIR' },
};

export function DatabaseSection(props: SectionProps) {
  const api = useApi();
  const f = useFieldStyles();
  const { state, set, problem } = props;
  const db = state.profile.database as DatabaseConfig;
  const [test, setTest] = useState<TestState>({ busy: false });
  const [discovered, setDiscovered] = useState<DatabaseDiscovery['candidates']>([]);
  const [windowsAuth, setWindowsAuth] = useState(db.engine === 'sqlserver' && db.domain !== undefined);
  const stored = state.original?.secrets.databasePassword ?? false;

  const request = (): DatabaseConnectionRequest => {
    const r: DatabaseConnectionRequest = { config: db };
    if (state.original) r.profileName = state.original.profile.profile;
    const typed = state.secrets.databasePassword;
    if (typeof typed === 'string') r.password = typed;
    return r;
  };
  const runTest = async (): Promise<void> => {
    setTest({ busy: true });
    try {
      setTest({ busy: false, result: await call(api, 'discovery:test-database', request()) });
    } catch (err) {
      setTest({ busy: false, error: errorInfo(err) });
    }
  };
  const discover = async (): Promise<void> => {
    setTest({ busy: true });
    try {
      const found = await call(api, 'discovery:list-databases', request());
      setDiscovered(found.candidates);
      const what = db.engine === 'oracle' ? 'schema' : 'database';
      setTest({
        busy: false,
        result: {
          ok: true,
          message: `Found ${found.candidates.length} candidate ${what}(s): tick the site ${what} and one per space.${found.note ? ` ${found.note}` : ''}`,
        },
      });
    } catch (err) {
      setTest({ busy: false, error: errorInfo(err) });
    }
  };

  const sql = db.engine === 'sqlserver' ? db : undefined;
  const ora = db.engine === 'oracle' ? db : undefined;
  const namesKey = ora ? 'database.schemas' : 'database.databases';
  return (
    <SectionCard
      testId="section-database"
      icon={<DatabaseRegular fontSize={24} />}
      title="Database"
      description="Taken first: the database is the authority for time. SQL Server or Oracle."
      enabled={state.enabled.database}
      onEnabledChange={(on) => props.update((s) => ({ ...s, enabled: { ...s.enabled, database: on } }))}
    >
      <Field
        label={fieldLabel('database.engine')}
        className={f.wide}
        validationMessage={problem('database.engine')}
        validationState={problem('database.engine') ? 'error' : 'none'}
      >
        <RadioGroup
          layout="horizontal"
          value={db.engine}
          onChange={(_e, d) => {
            setDiscovered([]);
            setTest({ busy: false });
            set('database', structuredClone(ENGINE_DEFAULTS[d.value as DatabaseConfig['engine']]));
          }}
        >
          <Radio value="sqlserver" label="SQL Server" />
          <Radio value="oracle" label="Oracle" />
        </RadioGroup>
      </Field>
      {sql ? (
        <>
          <TextField
            {...schemaField('database.server')}
            value={str(sql.server)}
            problem={problem('database.server')}
            required
            placeholder="sql01.example.local"
            onChange={(v) => set('database.server', v)}
          />
          <div className={f.pair}>
            <TextField
              {...schemaField('database.port')}
              value={str(sql.port)}
              problem={problem('database.port')}
              inputClassName={f.fill}
              type="number"
              placeholder="1433"
              onChange={(v) => set('database.port', numberOrUndefined(v))}
            />
            <TextField
              {...schemaField('database.instance')}
              label={orLabel('database.instance')}
              value={str(sql.instance)}
              problem={problem('database.instance')}
              inputClassName={f.fill}
              placeholder="SQLEXPRESS"
              onChange={(v) => set('database.instance', v)}
            />
          </div>
          <Field label="Sign in with" className={f.wide}>
            <RadioGroup
              layout="horizontal"
              value={windowsAuth ? 'windows' : 'sql'}
              onChange={(_e, d) => {
                setWindowsAuth(d.value === 'windows');
                if (d.value !== 'windows') set('database.domain', undefined);
              }}
            >
              <Radio value="sql" label="SQL Server login" />
              <Radio value="windows" label="Windows account (domain\user)" />
            </RadioGroup>
          </Field>
          {windowsAuth ? (
            <TextField
              {...schemaField('database.domain')}
              value={str(sql.domain)}
              problem={problem('database.domain')}
              required
              placeholder="CORP"
              onChange={(v) => set('database.domain', v)}
            />
          ) : null}
          <TextField
            {...schemaField('database.user')}
            value={str(sql.user)}
            problem={problem('database.user')}
            onChange={(v) => set('database.user', v)}
          />
          <SecretField
            label={fieldLabel('database.password')}
            name="database.password"
            stored={stored}
            value={state.secrets.databasePassword}
            problem={problem('database.password')}
            onChange={(v) => props.update((s) => ({ ...s, secrets: { ...s.secrets, databasePassword: v } }))}
          />
          <div className={f.row}>
            <Switch
              label={fieldLabel('database.encrypt')}
              checked={sql.encrypt !== false}
              onChange={(_e, d) => set('database.encrypt', d.checked ? undefined : false)}
            />
            <Switch
              label={fieldLabel('database.trustServerCertificate')}
              checked={sql.trustServerCertificate === true}
              onChange={(_e, d) => set('database.trustServerCertificate', d.checked ? true : undefined)}
            />
          </div>
        </>
      ) : null}
      {ora ? (
        <>
          <TextField
            {...schemaField('database.connectString')}
            value={str(ora.connectString)}
            problem={problem('database.connectString')}
            required
            placeholder="db01.example.local:1521/OCTANE"
            onChange={(v) => set('database.connectString', v)}
          />
          <TextField
            {...schemaField('database.user')}
            value={str(ora.user)}
            problem={problem('database.user')}
            required
            onChange={(v) => set('database.user', v)}
          />
          <SecretField
            label={fieldLabel('database.password')}
            name="database.password"
            stored={stored}
            value={state.secrets.databasePassword}
            problem={problem('database.password')}
            onChange={(v) => props.update((s) => ({ ...s, secrets: { ...s.secrets, databasePassword: v } }))}
          />
          <TextField
            {...schemaField('database.directory')}
            value={str(ora.directory)}
            problem={problem('database.directory')}
            onChange={(v) => set('database.directory', v)}
          />
          <TextField
            {...schemaField('database.fileSize')}
            value={str(ora.fileSize)}
            problem={problem('database.fileSize')}
            onChange={(v) => set('database.fileSize', v)}
          />
        </>
      ) : null}
      <div className={`${f.wide} ${f.row}`}>
        <Button icon={<PlugConnectedRegular />} onClick={() => void runTest()} disabled={test.busy}>
          Test connection
        </Button>
        <Button icon={<SearchRegular />} onClick={() => void discover()} disabled={test.busy}>
          {ora ? 'Discover schemas' : 'Discover databases'}
        </Button>
        <ConnectionResult state={test} busyText="Connecting…" />
      </div>
      <Field
        label={fieldLabel(namesKey)}
        className={f.wide}
        required
        validationMessage={problem(namesKey)}
        validationState={problem(namesKey) ? 'error' : 'none'}
        hint={fieldHint(namesKey)}
      >
        <NameChecklist
          what={ora ? 'schemas' : 'databases'}
          discovered={discovered}
          selected={ora ? ora.schemas : (sql?.databases ?? [])}
          onChange={(names) => set(namesKey, names)}
        />
      </Field>
      {sql ? (
        <FolderField
          {...schemaField('database.serverBackupDir')}
          required
          browse={false}
          placeholder="D:\SQLBackups or \\fileserver\sqlbackup"
          value={str(sql.serverBackupDir)}
          problem={problem('database.serverBackupDir')}
          onChange={(v) => set('database.serverBackupDir', v)}
        />
      ) : null}
      <FolderField
        {...schemaField('database.copyFrom')}
        value={str(db.copyFrom)}
        problem={problem('database.copyFrom')}
        onChange={(v) => set('database.copyFrom', v)}
      />
      <div className={`${f.wide} ${f.row}`}>
        <Switch
          label={fieldLabel('database.deleteServerCopy')}
          checked={db.deleteServerCopy === true}
          onChange={(_e, d) => set('database.deleteServerCopy', d.checked ? true : undefined)}
        />
        {sql ? (
          <Switch
            label={fieldLabel('database.verify')}
            checked={sql.verify !== false}
            onChange={(_e, d) => set('database.verify', d.checked ? undefined : false)}
          />
        ) : null}
      </div>
    </SectionCard>
  );
}
