import {
  Checkbox,
  Field,
  Input,
  Radio,
  RadioGroup,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { ScheduleConfig } from '@contract/profile.js';
import type { SchedulePreview } from '@contract/ui.js';
import { call, useApi } from '../../api/api-context.js';
import { ClockRegular } from '../../icons.js';
import { SectionCard, useFieldStyles } from '../profiles/section-card.js';
import { fieldHint, fieldLabel } from '@contract/profile-fields.js';
import { numberOrUndefined, str, type SectionProps } from '../profiles/section-props.js';
import { ScheduledTask } from './scheduled-task.js';
import { useAsync, useDebounced } from '../../state/use-async.js';

/** The presets of the engine (RPO_PRESETS_HOURS): 4 h is what Octane's own SaaS does. */
export const RPO_PRESETS = [4, 12, 24] as const;
const DEFAULT_WINDOW = { start: '22:00', end: '05:00' };

const useStyles = makeStyles({
  preview: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  line: { margin: 0 },
  runs: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
  inWindow: { color: tokens.colorPaletteGreenForeground1 },
  muted: { color: tokens.colorNeutralForeground3 },
});

function setSchedule(props: SectionProps, f: (s: Partial<ScheduleConfig>) => Partial<ScheduleConfig>): void {
  props.update((st) => {
    const next = f({ ...(st.profile.schedule ?? {}) });
    const profile = { ...st.profile };
    if (Object.keys(next).length === 0) delete profile.schedule;
    else profile.schedule = next as ScheduleConfig;
    return { ...st, profile };
  });
}

export function ScheduleSection(props: SectionProps) {
  const api = useApi();
  const s = useStyles();
  const f = useFieldStyles();
  const { state, problem } = props;
  const sch = state.profile.schedule;
  const target = sch?.targetIntervalHours;
  const preset = RPO_PRESETS.find((h) => h === target);
  // One value, one place: the presets fill the hours field, and the field is the value.
  const choice = preset !== undefined ? String(preset) : '';
  // The proposal is the engine's (proposeSchedule, in main's time zone), for what the form says now.
  const config = useDebounced(sch, 300);
  const proposable =
    !!config && typeof config.targetIntervalHours === 'number' && config.targetIntervalHours > 0;
  const preview = useAsync(
    () => call(api, 'schedule:propose', config as NonNullable<typeof config>),
    proposable ? JSON.stringify(config) : undefined,
  );
  // Only the proposal for the schedule as it is now; an earlier one would mislead.
  const shown: SchedulePreview | undefined = preview.current ? preview.value : undefined;

  return (
    <SectionCard
      testId="section-schedule"
      icon={<ClockRegular fontSize={24} />}
      title="Schedule"
      description="How much data you can afford to lose sets how often the backup runs; a quiet window keeps the skew small."
    >
      <Field label="Tolerated data loss (RPO)">
        <RadioGroup
          name="schedule.rpo"
          layout="horizontal"
          value={choice}
          onChange={(_e, d) => {
            setSchedule(props, (x) => ({ ...x, targetIntervalHours: Number(d.value) }));
          }}
        >
          {RPO_PRESETS.map((h) => (
            <Radio key={h} value={String(h)} label={`${h} h`} />
          ))}
        </RadioGroup>
      </Field>
      <Field
        label={fieldLabel('schedule.targetIntervalHours')}
        hint={fieldHint('schedule.targetIntervalHours')}
        validationMessage={problem('schedule.targetIntervalHours')}
        validationState={problem('schedule.targetIntervalHours') ? 'error' : 'none'}
      >
        <Input
          name="schedule.targetIntervalHours"
          type="number"
          value={str(target)}
          placeholder="24"
          onChange={(_e, d) => {
            const v = numberOrUndefined(d.value);
            setSchedule(props, (x) => {
              const next = { ...x };
              if (v === undefined) delete next.targetIntervalHours;
              else next.targetIntervalHours = v;
              return next;
            });
          }}
        />
      </Field>
      <Checkbox
        className={f.wide}
        label={fieldLabel('schedule.quietWindow')}
        checked={sch?.quietWindow !== undefined}
        onChange={(_e, d) =>
          setSchedule(props, (x) => {
            const next = { ...x };
            if (d.checked) next.quietWindow = { ...DEFAULT_WINDOW };
            else delete next.quietWindow;
            return next;
          })
        }
      />
      {sch?.quietWindow
        ? (['start', 'end'] as const).map((k) => (
            <Field
              key={k}
              label={fieldLabel(`schedule.quietWindow.${k}`)}
              hint={fieldHint(`schedule.quietWindow.${k}`)}
              validationMessage={problem(`schedule.quietWindow.${k}`)}
              validationState={problem(`schedule.quietWindow.${k}`) ? 'error' : 'none'}
            >
              <Input
                name={`schedule.quietWindow.${k}`}
                value={sch.quietWindow?.[k] ?? ''}
                placeholder={DEFAULT_WINDOW[k]}
                onChange={(_e, d) =>
                  setSchedule(props, (x) => ({
                    ...x,
                    quietWindow: { ...(x.quietWindow ?? DEFAULT_WINDOW), [k]: d.value },
                  }))
                }
              />
            </Field>
          ))
        : null}
      <div className={`${f.wide} ${s.preview}`} data-testid="schedule-preview">
        {shown ? (
          <>
            <Text weight="semibold">
              Proposed: every {shown.everyDays > 1 ? `${shown.everyDays} days` : `${shown.intervalHours} h`}{' '}
              at {shown.startTimes.join(', ')} ({shown.timeZone})
            </Text>
            {shown.explanation.map((line) => (
              <Text as="p" key={line} size={200} className={s.line}>
                {line}
              </Text>
            ))}
            <Text weight="semibold">Next five runs</Text>
            <ol className={s.runs} aria-label="Next five runs">
              {shown.nextRuns.map((r) => (
                <li key={r.at}>
                  {r.local} {r.inQuietWindow ? <span className={s.inWindow}>(quiet window)</span> : null}
                </li>
              ))}
            </ol>
          </>
        ) : (
          <Text className={s.muted}>Choose an interval to see the proposed schedule.</Text>
        )}
      </div>
      <ScheduledTask state={state} />
    </SectionCard>
  );
}
