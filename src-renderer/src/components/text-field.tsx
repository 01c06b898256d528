import { Field, Input, type InputProps } from '@fluentui/react-components';

export interface TextFieldProps {
  label: string;
  /** The profile key, e.g. "database.server": the input's name and the key its problem is reported under. */
  name: string;
  value: string;
  onChange: (value: string) => void;
  /** The validator's message for this key, if any. */
  problem?: string | undefined;
  required?: boolean;
  hint?: string;
  placeholder?: string;
  type?: InputProps['type'];
  className?: string;
  inputClassName?: string;
}

/** One labelled text input with the CLI's validation message under it. */
export function TextField(props: TextFieldProps) {
  const fieldProps = {
    label: props.label,
    validationMessage: props.problem,
    validationState: props.problem ? ('error' as const) : ('none' as const),
    ...(props.required ? { required: true } : {}),
    ...(props.hint !== undefined ? { hint: props.hint } : {}),
    ...(props.className !== undefined ? { className: props.className } : {}),
  };
  return (
    <Field {...fieldProps}>
      <Input
        name={props.name}
        value={props.value}
        onChange={(_e, d) => props.onChange(d.value)}
        {...(props.type !== undefined ? { type: props.type } : {})}
        {...(props.placeholder !== undefined ? { placeholder: props.placeholder } : {})}
        {...(props.inputClassName !== undefined ? { className: props.inputClassName } : {})}
      />
    </Field>
  );
}
