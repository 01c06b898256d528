import {
  Button,
  Checkbox,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Select,
  Switch,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { ErrorInfo } from '@contract/errors.js';
import type { SmtpAlertConfig } from '@contract/profile.js';
import type { TestEmailRequest, TestEmailResult } from '@contract/ui.js';
import { call, useApi } from '../../api/api-context.js';
import { errorInfo } from '../../api/api-error.js';
import { ErrorBar } from '../../components/error-bar.js';
import { FolderField } from '../../components/folder-field.js';
import { SecretField } from '../../components/secret-field.js';
import { AlertRegular } from '../../icons.js';
import { SectionCard, useFieldStyles } from '../profiles/section-card.js';
import { fieldHint, fieldLabel } from '@contract/profile-fields.js';
import { numberOrUndefined, schemaField, str, type SectionProps } from '../profiles/section-props.js';
import { storedName } from './saved-state.js';
import { TextField } from '../../components/text-field.js';

const NEW_EMAIL: SmtpAlertConfig = { host: '', port: 587, secure: false, from: '', to: [], when: 'failure' };

/** "a@x, b@y; c@z" -> the addresses. */
export function splitAddresses(text: string): string[] {
  return text
    .split(/[,;]/)
    .map((a) => a.trim())
    .filter((a) => a !== '');
}

export function AlertsSection(props: SectionProps) {
  const api = useApi();
  const f = useFieldStyles();
  const { state, set, problem } = props;
  const alerts = state.profile.alerts;
  const email = alerts?.email;
  // Switching e-mail off and on again brings back what was typed.
  const [kept, setKept] = useState<SmtpAlertConfig | undefined>(email);
  const [toText, setToText] = useState((email?.to ?? []).join(', '));
  const [test, setTest] = useState<{ busy: boolean; result?: TestEmailResult; error?: ErrorInfo }>({
    busy: false,
  });

  const text = (key: 'host' | 'user' | 'from', extra: { required?: boolean } = {}) => (
    <Field
      label={fieldLabel(`alerts.email.${key}`)}
      required={extra.required}
      hint={fieldHint(`alerts.email.${key}`)}
      validationMessage={problem(`alerts.email.${key}`)}
      validationState={problem(`alerts.email.${key}`) ? 'error' : 'none'}
    >
      <Input
        name={`alerts.email.${key}`}
        value={str(email?.[key])}
        onChange={(_e, d) => set(`alerts.email.${key}`, d.value)}
      />
    </Field>
  );

  const sendTest = async (): Promise<void> => {
    if (!email) return;
    setTest({ busy: true });
    const req: TestEmailRequest = { email: { ...email, to: splitAddresses(toText) } };
    const typed = state.secrets.smtpPassword;
    if (typeof typed === 'string' && typed !== '') req.password = typed;
    const name = storedName(state);
    if (name !== undefined && typed !== null) req.profileName = name;
    try {
      setTest({ busy: false, result: await call(api, 'alerts:test-email', req) });
    } catch (err) {
      setTest({ busy: false, error: errorInfo(err) });
    }
  };

  return (
    <SectionCard
      testId="section-alerts"
      icon={<AlertRegular fontSize={24} />}
      title="Alerts"
      description="Every run is written to the Windows Event Log; e-mail reaches someone when a backup fails or no good backup is recent enough."
    >
      <Switch
        className={f.wide}
        label={fieldLabel('alerts.eventLog')}
        checked={alerts?.eventLog !== false}
        onChange={(_e, d) => set('alerts.eventLog', d.checked)}
      />
      <Switch
        className={f.wide}
        label={fieldLabel('alerts.email')}
        checked={email !== undefined}
        onChange={(_e, d) => {
          if (!d.checked) setKept(email);
          set('alerts.email', d.checked ? structuredClone(kept ?? NEW_EMAIL) : undefined);
        }}
      />
      {email ? (
        <>
          {text('host', { required: true })}
          <div className={f.pair}>
            <TextField
              {...schemaField('alerts.email.port')}
              value={str(email.port)}
              problem={problem('alerts.email.port')}
              type="number"
              onChange={(v) => set('alerts.email.port', numberOrUndefined(v))}
            />
            <Field label="Encryption">
              <Checkbox
                name="alerts.email.secure"
                label={fieldLabel('alerts.email.secure')}
                checked={email.secure === true}
                onChange={(_e, d) => set('alerts.email.secure', d.checked)}
              />
            </Field>
          </div>
          {text('user')}
          <SecretField
            label="Password"
            name="alerts.email.password"
            stored={state.original?.secrets.smtpPassword === true}
            value={state.secrets.smtpPassword}
            onChange={(v) => props.update((st) => ({ ...st, secrets: { ...st.secrets, smtpPassword: v } }))}
          />
          {text('from', { required: true })}
          <Field
            label={fieldLabel('alerts.email.to')}
            required
            hint={fieldHint('alerts.email.to')}
            validationMessage={problem('alerts.email.to')}
            validationState={problem('alerts.email.to') ? 'error' : 'none'}
          >
            <Input
              name="alerts.email.to"
              value={toText}
              onChange={(_e, d) => {
                setToText(d.value);
                set('alerts.email.to', splitAddresses(d.value));
              }}
            />
          </Field>
          <Field label={fieldLabel('alerts.email.when')} validationMessage={problem('alerts.email.when')}>
            <Select
              name="alerts.email.when"
              value={email.when}
              onChange={(_e, d) => set('alerts.email.when', d.value)}
            >
              <option value="failure">a run fails or is cancelled</option>
              <option value="warnings">… or has warnings</option>
              <option value="always">after every run</option>
            </Select>
          </Field>
          <FolderField
            {...schemaField('alerts.email.caFile')}
            pick="certificate"
            value={str(email?.caFile)}
            problem={problem('alerts.email.caFile')}
            onChange={(v) => set('alerts.email.caFile', v === '' ? undefined : v)}
          />
          <div className={`${f.wide} ${f.row}`}>
            <Button disabled={test.busy} onClick={() => void sendTest()}>
              Send test e-mail
            </Button>
          </div>
          {test.result ? (
            <MessageBar className={f.wide} intent={test.result.rejected.length > 0 ? 'warning' : 'success'}>
              <MessageBarBody>
                Test message accepted for {test.result.accepted.join(', ') || 'nobody'}
                {test.result.rejected.length > 0 ? `; refused for ${test.result.rejected.join(', ')}` : ''}.
              </MessageBarBody>
            </MessageBar>
          ) : null}
          {test.error ? (
            <div className={f.wide}>
              <ErrorBar error={test.error} title="Test e-mail not sent" />
            </div>
          ) : null}
        </>
      ) : null}
    </SectionCard>
  );
}
