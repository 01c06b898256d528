import { Card, CardHeader, Switch, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { ReactElement, ReactNode } from 'react';

const useStyles = makeStyles({
  card: { padding: tokens.spacingVerticalL },
  body: {
    display: 'grid',
    gridTemplateColumns: 'repeat(2, minmax(0, 1fr))',
    columnGap: tokens.spacingHorizontalXL,
    rowGap: tokens.spacingVerticalM,
    alignItems: 'start',
  },
  disabled: { color: tokens.colorNeutralForeground3 },
  switch: { whiteSpace: 'nowrap' },
});

export function SectionCard(props: {
  icon: ReactElement;
  title: string;
  description: string;
  /** When given, the section can be switched off (then it is not backed up). */
  enabled?: boolean;
  onEnabledChange?: (on: boolean) => void;
  children: ReactNode;
  testId: string;
}) {
  const s = useStyles();
  const on = props.enabled !== false;
  return (
    <Card className={s.card} data-testid={props.testId}>
      <CardHeader
        image={props.icon}
        header={
          <Text weight="semibold" size={400}>
            {props.title}
          </Text>
        }
        description={props.description}
        action={
          props.onEnabledChange ? (
            <Switch
              className={s.switch}
              checked={on}
              label={on ? 'Included' : 'Not included'}
              aria-label={`Include ${props.title}`}
              onChange={(_e, d) => props.onEnabledChange?.(d.checked)}
            />
          ) : undefined
        }
      />
      {on ? (
        <div className={s.body}>{props.children}</div>
      ) : (
        <Text className={s.disabled}>
          Not part of this profile's backups: the sets will not be full Octane backups.
        </Text>
      )}
    </Card>
  );
}

export const useFieldStyles = makeStyles({
  wide: { gridColumn: '1 / -1' },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
  fill: { width: '100%', minWidth: 0 },
  pair: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)',
    columnGap: tokens.spacingHorizontalS,
  },
});
