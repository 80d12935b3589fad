/**
 * "Test connection" for a saved profile: runs the doctor's step-by-step test in the tunnel
 * service (tunnel.test — it changes no routes or DNS) and shows each step as it settles, then
 * the verdict in plain words with the advice. "Test connection" uses the stored password (or
 * asks, like Connect); "Test without password" checks the server name, TCP 1723, the PPTP call
 * and GRE only, so a user can tell network trouble from a wrong password before typing one.
 *
 * Decision (the editor): the test runs on the SAVED profile. With unsaved changes in the form
 * the buttons are disabled and say "Save first" — testing half-edited values would report on a
 * profile that does not exist, and saving is one click away (NetworkManager and Viscosity test
 * or connect only saved connections too).
 */
import type { DoctorStepRecord } from '../../../preload/contract';
import type { Profile } from '../../../preload/schema/profile';
import { DOCTOR_STEPS, type DoctorStep } from '../../../preload/schema/doctor';
import { useApp } from '../store/context';
import { tunnelSelectors, type ConnectionTest } from '../store/tunnel-slice';
import { FailureSummary } from './FailureSummary';
import { StepList, type StepRow } from './StepList';

export const DOCTOR_STEP_LABELS: Readonly<Record<DoctorStep, string>> = {
  resolve: 'Server name',
  tcp: 'TCP port 1723',
  control: 'PPTP control connection',
  call: 'Call',
  gre: 'Tunnel packets (GRE)',
  auth: 'Sign-in',
  encryption: 'Encryption (MPPE)',
  ipcp: 'Addresses',
};

/** Rows for a test: settled steps as recorded; while running, the next one in progress. */
export function testRows(test: Pick<ConnectionTest, 'steps' | 'running'>): StepRow[] {
  const byStep = new Map<DoctorStep, DoctorStepRecord>(test.steps.map((s) => [s.step, s]));
  let runningShown = false;
  return DOCTOR_STEPS.map((step) => {
    const r = byStep.get(step);
    // A not-tested step's technical line is pptpctl's (it names its flags): the words say it for the app.
    const technical = r?.status !== 'not-tested' ? r?.technical : undefined;
    if (r) return { key: step, label: DOCTOR_STEP_LABELS[step], status: r.status, message: r.message, ...(technical ? { technical } : {}) };
    const status = test.running && !runningShown ? 'running' : 'waiting';
    if (status === 'running') runningShown = true;
    return { key: step, label: DOCTOR_STEP_LABELS[step], status };
  });
}

function Verdict({ test }: { test: ConnectionTest }) {
  if (test.error) {
    return (
      <p className="form-error" role="alert">
        {test.error.message}
      </p>
    );
  }
  const v = test.result?.verdict;
  if (!v) return null;
  if (v.kind === 'failed') return <FailureSummary reason={v.reason} advice={v.advice} label="Test failed" />;
  const words =
    v.kind === 'works'
      ? v.credentialsTested
        ? 'The server works: it accepted the sign-in, encryption and addresses.'
        : 'The server is reachable and tunnel packets pass. The password was not tested.'
      : `Only part of the test could run: ${v.summary}`;
  return (
    <p className={`verdict verdict--${v.kind}`} role="status">
      {words}
    </p>
  );
}

export function TestConnection({ profile, dirty = false }: { profile: Pick<Profile, 'id' | 'name' | 'askPasswordEveryTime'>; dirty?: boolean }) {
  const test = useApp(tunnelSelectors.testOf(profile.id));
  const busy = useApp(tunnelSelectors.isBusy);
  const anyTestRunning = useApp((s) => s.connectionTest?.running ?? false);
  const requestTest = useApp((s) => s.requestTest);
  const dismissTest = useApp((s) => s.dismissTest);
  const disabled = dirty || busy || anyTestRunning;
  const why = dirty ? 'Save first: the test uses the saved profile.' : busy ? 'Disconnect first: a test cannot run beside a tunnel.' : undefined;
  return (
    <section className="test-connection" aria-label="Test connection">
      <div className="test-connection__actions">
        <button type="button" className="button" disabled={disabled} onClick={() => void requestTest(profile, true)}>
          {test?.running ? 'Testing…' : 'Test connection'}
        </button>
        <button type="button" className="button button--link" disabled={disabled} onClick={() => void requestTest(profile, false)}>
          Test without password
        </button>
        {why && <span className="muted">{why}</span>}
        {test && !test.running && (
          <button type="button" className="button button--link" onClick={dismissTest}>
            Close test
          </button>
        )}
      </div>
      {test && (
        <div className="card card--compact test-connection__result" aria-busy={test.running}>
          <h2>{test.running ? `Testing ${profile.name}…` : `Test of ${profile.name}`}</h2>
          <Verdict test={test} />
          <StepList rows={testRows(test)} label="Test steps" />
          <p className="muted test-connection__note">The test changes no routes or DNS.</p>
        </div>
      )}
    </section>
  );
}
