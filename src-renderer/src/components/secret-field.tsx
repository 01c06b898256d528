import { Button, Field, Input, makeStyles, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  input: { flexGrow: 1 },
});

export interface SecretFieldProps {
  label: string;
  name: string;
  /** Whether a value is stored (the value itself never reaches this window). */
  stored: boolean;
  /** Typed, unsaved value; null = forget the stored one on save. */
  value: string | null | undefined;
  onChange: (value: string | null | undefined) => void;
  problem?: string;
}

export function SecretField(props: SecretFieldProps) {
  const s = useStyles();
  const forgotten = props.value === null;
  const hint = forgotten
    ? 'The stored value will be removed when you save.'
    : typeof props.value === 'string' && props.value !== ''
      ? 'Will be encrypted for your Windows account when you save.'
      : props.stored
        ? 'Stored encrypted. Type to replace it.'
        : 'Not set.';
  return (
    <Field
      label={props.label}
      hint={hint}
      validationState={props.problem ? 'error' : 'none'}
      validationMessage={props.problem}
    >
      <div className={s.row}>
        <Input
          className={s.input}
          type="password"
          name={props.name}
          autoComplete="off"
          value={typeof props.value === 'string' ? props.value : ''}
          placeholder={props.stored && !forgotten ? '•••••••• (stored)' : ''}
          onChange={(_e, d) => props.onChange(d.value === '' ? undefined : d.value)}
        />
        {props.stored && !forgotten ? (
          <Button
            appearance="subtle"
            onClick={() => props.onChange(null)}
            aria-label={`Forget the stored ${props.label}`}
          >
            Forget
          </Button>
        ) : null}
        {forgotten ? (
          <Button appearance="subtle" onClick={() => props.onChange(undefined)}>
            Keep
          </Button>
        ) : null}
      </div>
    </Field>
  );
}
