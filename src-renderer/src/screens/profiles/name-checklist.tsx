import {
  Button,
  Checkbox,
  FieldContextProvider,
  Input,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import { AddRegular } from '../../icons.js';

const useStyles = makeStyles({
  list: {
    display: 'flex',
    flexWrap: 'wrap',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXS,
  },
  add: { display: 'flex', gap: tokens.spacingHorizontalS, marginTop: tokens.spacingVerticalS },
});

/** Discovered names to tick, plus names typed by hand (space schemas can have any name). */
export function NameChecklist(props: {
  discovered: { name: string; detail?: string }[];
  selected: string[];
  onChange: (names: string[]) => void;
  what: string;
}) {
  const s = useStyles();
  const [typed, setTyped] = useState('');
  const details = new Map(props.discovered.map((d) => [d.name, d.detail]));
  const all = [...new Set([...props.discovered.map((d) => d.name), ...props.selected])];
  const toggle = (name: string, on: boolean): void =>
    props.onChange(on ? [...props.selected, name] : props.selected.filter((n) => n !== name));
  const add = (): void => {
    const name = typed.trim();
    if (name && !props.selected.includes(name)) props.onChange([...props.selected, name]);
    setTyped('');
  };
  // Out of the surrounding Field's context: otherwise every checkbox would get the Field's one control id.
  return (
    <FieldContextProvider value={undefined}>
      <div className={s.list} role="group" aria-label={`${props.what} to back up`}>
        {all.length === 0 ? <span>None yet: discover them or add one by name.</span> : null}
        {all.map((name) => (
          <Checkbox
            key={name}
            label={details.get(name) ? `${name} (${details.get(name)})` : name}
            checked={props.selected.includes(name)}
            onChange={(_e, d) => toggle(name, d.checked === true)}
          />
        ))}
      </div>
      <div className={s.add}>
        <Input
          value={typed}
          placeholder={`Add a ${props.what.replace(/s$/, '')} by name`}
          aria-label={`Add a ${props.what.replace(/s$/, '')} by name`}
          onChange={(_e, d) => setTyped(d.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') add();
          }}
        />
        <Button icon={<AddRegular />} onClick={add} disabled={typed.trim() === ''}>
          Add
        </Button>
      </div>
    </FieldContextProvider>
  );
}
