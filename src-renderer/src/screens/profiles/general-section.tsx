import { Field, Switch, Text } from '@fluentui/react-components';
import { formatHours } from '@contract/format.js';
import { SettingsRegular } from '../../icons.js';
import { SectionCard } from './section-card.js';
import { fieldHint, fieldLabel } from '@contract/profile-fields.js';
import { numberOrUndefined, schemaField, str, type SectionProps } from './section-props.js';
import { TextField } from '../../components/text-field.js';
import { SecretField } from '../../components/secret-field.js';

export function GeneralSection(props: SectionProps) {
  const { state, set, problem } = props;
  const p = state.profile;
  const target = p.schedule?.targetIntervalHours;
  return (
    <SectionCard
      testId="section-general"
      icon={<SettingsRegular fontSize={24} />}
      title="Profile"
      description="A name, how old a backup may get, and how far apart its parts may be."
    >
      <TextField
        {...schemaField('profile')}
        value={str(p.profile)}
        problem={problem('profile')}
        required
        placeholder="nightly"
        onChange={(v) => set('profile', v)}
      />
      {/* Edited in one place only (Schedule); here it is said, so the two can never disagree. */}
      <Field label="Tolerated data loss">
        <Text data-testid="general-rpo">
          {target !== undefined && target > 0
            ? `${formatHours(target)}: the schedule runs at least this often and the Overview warns when the newest good backup is older. Change it under Schedule.`
            : 'No schedule: choose the tolerated data loss under Schedule, or run backups by hand.'}
        </Text>
      </Field>
      <TextField
        {...schemaField('skewToleranceSeconds')}
        value={str(p.skewToleranceSeconds)}
        problem={problem('skewToleranceSeconds')}
        type="number"
        onChange={(v) => set('skewToleranceSeconds', numberOrUndefined(v))}
      />
      <Field hint={fieldHint('verifyAfterRun')}>
        <Switch
          name="verifyAfterRun"
          label={fieldLabel('verifyAfterRun')}
          checked={p.verifyAfterRun === true}
          onChange={(_e, d) => set('verifyAfterRun', d.checked ? true : undefined)}
        />
      </Field>
      {/* A restore checks through these that Octane is stopped; without them the admin confirms it. */}
      <TextField
        {...schemaField('octaneService')}
        value={str(p.octaneService)}
        problem={problem('octaneService')}
        placeholder="octane"
        onChange={(v) => set('octaneService', v === '' ? undefined : v)}
      />
      <TextField
        {...schemaField('octaneUrl')}
        value={str(p.octaneUrl)}
        problem={problem('octaneUrl')}
        placeholder="http://octane.example.com:8080"
        onChange={(v) => set('octaneUrl', v === '' ? undefined : v)}
      />
      <SecretField
        // The key seals every manifest (HMAC-SHA256), so a changed set is detected where the key is.
        label="Seal key (give the command line the same key in OCTANE_BACKUP_SEAL_KEY)"
        name="sealKey"
        stored={state.original?.secrets.sealKey === true}
        value={state.secrets.sealKey}
        onChange={(v) => props.update((s) => ({ ...s, secrets: { ...s.secrets, sealKey: v } }))}
      />
    </SectionCard>
  );
}
