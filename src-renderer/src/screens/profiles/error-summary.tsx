// What stops Save, as a list the admin can act on: each entry names the field by its label and
// moves the focus to it. It follows the form: a problem fixed since Save disappears from it.
import {
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useRef } from 'react';
import { fieldTexts } from '@contract/profile-fields.js';
import type { FieldProblem } from '@contract/ui.js';

const useStyles = makeStyles({
  list: { margin: `${tokens.spacingVerticalXS} 0 0`, paddingLeft: tokens.spacingHorizontalXL },
  body: { whiteSpace: 'normal', overflowWrap: 'anywhere' },
});

/** The form's input for a profile key, when the form shows one. */
function fieldFor(key: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`[name="${CSS.escape(key)}"]`);
}

export function ErrorSummary(props: { problems: FieldProblem[]; attempt: number }) {
  const s = useStyles();
  const box = useRef<HTMLDivElement>(null);
  // Each failed Save moves the focus to the summary, so a keyboard or screen-reader user hears it.
  useEffect(() => {
    if (props.attempt > 0) box.current?.focus();
  }, [props.attempt]);
  if (props.problems.length === 0) return null;
  return (
    <div ref={box} tabIndex={-1} data-testid="error-summary">
      <MessageBar intent="error" layout="multiline">
        <MessageBarBody className={s.body}>
          <MessageBarTitle>
            {props.problems.length === 1
              ? 'One thing to fix before saving'
              : `${props.problems.length} things to fix before saving`}
          </MessageBarTitle>
          <ul className={s.list}>
            {props.problems.map((p) => {
              // The form's label, never the config key: from the problem, else from the profile schema.
              const name = p.label ?? fieldTexts(p.key)?.label ?? (p.key === '(root)' ? 'Profile' : p.key);
              const target = fieldFor(p.key);
              return (
                <li key={`${p.key}:${p.message}`}>
                  {target ? (
                    <Link
                      as="button"
                      onClick={() => {
                        const el = fieldFor(p.key);
                        el?.scrollIntoView({ block: 'center' });
                        el?.focus();
                      }}
                    >
                      {name}
                    </Link>
                  ) : (
                    <strong>{name}</strong>
                  )}
                  : {p.message}
                </li>
              );
            })}
          </ul>
        </MessageBarBody>
      </MessageBar>
    </div>
  );
}
