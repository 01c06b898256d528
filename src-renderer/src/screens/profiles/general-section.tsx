import { Field, Input, Switch } from '@fluentui/react-components';
import { SettingsRegular } from '../../icons.js';
import { SectionCard } from './section-card.js';
import { fieldHint, fieldLabel } from '@contract/profile-fields.js';
import { numberOrUndefined, schemaField, str, type SectionProps } from './section-props.js';
import { TextField } from '../../components/text-field.js';
import { SecretField } from '../../components/secret-field.js';

export function GeneralSection(props: SectionProps) {
  const { state, set, problem } = props;
  const p = state.profile;
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
      <Field
        label={fieldLabel('schedule.targetIntervalHours')}
        hint={fieldHint('schedule.targetIntervalHours')}
        validationMessage={problem('schedule.targetIntervalHours')}
        validationState={problem('schedule.targetIntervalHours') ? 'error' : 'none'}
      >
        <Input
          name="schedule.targetIntervalHours"
          type="number"
          value={str(p.schedule?.targetIntervalHours)}
          placeholder="24"
          onChange={(_e, d) => {
            const v = numberOrUndefined(d.value);
            // The schedule section exists only with its required interval.
            props.update((s) => {
              const rest = { ...(s.profile.schedule ?? {}) };
              delete (rest as { targetIntervalHours?: number }).targetIntervalHours;
              const schedule =
                v === undefined
                  ? Object.keys(rest).length > 0
                    ? rest
                    : undefined
                  : { ...rest, targetIntervalHours: v };
              const profile = { ...s.profile };
              if (schedule === undefined) delete profile.schedule;
              else profile.schedule = schedule as NonNullable<typeof profile.schedule>;
              return { ...s, profile };
            });
          }}
        />
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
