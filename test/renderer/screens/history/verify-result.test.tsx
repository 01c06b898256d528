// @vitest-environment happy-dom
import '../../dom-setup.js';
import { cleanup, render, screen } from '@testing-library/react';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { afterEach, describe, expect, it } from 'vitest';
import type { VerifyReport } from '../../../../src-main/contract/sets.js';
import { VerifyResult } from '../../../../src-renderer/src/screens/history/verify-result.js';

afterEach(cleanup);

const report = (over: Partial<VerifyReport>): VerifyReport =>
  ({
    setPath: '/b/nightly/set',
    ok: false,
    verdict: 'incomplete',
    incomplete: true,
    damaged: false,
    checks: [],
    problems: ['The set is incomplete: the run did not finish.'],
    notes: [],
    seal: 'absent',
    readFrom: [],
    ...over,
  }) as VerifyReport;

describe('the verify result', () => {
  it('never calls a set with no finished artifact "intact": it says there was nothing to check, and takes the focus', () => {
    render(
      <FluentProvider theme={webLightTheme}>
        <VerifyResult state={{ busy: false, report: report({}) }} />
      </FluentProvider>,
    );
    const result = screen.getByTestId('verify-result');
    expect(result.textContent).toContain('Nothing to verify: not a backup');
    expect(result.textContent).toContain('there was nothing to check');
    expect(result.textContent).not.toMatch(/Every one of the 0/);
    expect(document.activeElement).toBe(result);
  });
});
