import { Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';

export const WIZARD_STEPS = ['Components', 'Preconditions', 'Plan', 'Confirm', 'Restore', 'Result'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

const useStyles = makeStyles({
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  step: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalXS,
    paddingTop: tokens.spacingVerticalXXS,
    paddingBottom: tokens.spacingVerticalXXS,
    paddingLeft: tokens.spacingHorizontalS,
    paddingRight: tokens.spacingHorizontalS,
    borderRadius: tokens.borderRadiusCircular,
    color: tokens.colorNeutralForeground3,
  },
  done: { color: tokens.colorNeutralForeground1 },
  current: {
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
  },
  sep: { color: tokens.colorNeutralForeground4 },
});

/** Where the admin is in the wizard: the six steps, the current one highlighted. */
export function StepHeader({ current }: { current: WizardStep }) {
  const s = useStyles();
  const at = WIZARD_STEPS.indexOf(current);
  return (
    <div className={s.row} aria-label="Restore steps" data-testid="wizard-steps" data-step={current}>
      {WIZARD_STEPS.map((name, i) => (
        <span key={name} className={s.row}>
          {i > 0 ? <span className={s.sep}>›</span> : null}
          <span
            className={mergeClasses(s.step, i < at && s.done, i === at && s.current)}
            aria-current={i === at ? 'step' : undefined}
          >
            <Text weight={i === at ? 'semibold' : 'regular'}>
              {i + 1}. {name}
            </Text>
          </span>
        </span>
      ))}
    </div>
  );
}
