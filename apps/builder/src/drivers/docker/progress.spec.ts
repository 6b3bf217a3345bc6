import { BuildOutputTracker, FAILURE_OUTPUT_LINES } from './progress';

describe('BuildOutputTracker', () => {
  it('reassembles lines that arrive in pieces and forwards each once', () => {
    const lines: string[] = [];
    const tracker = new BuildOutputTracker((line) => lines.push(line));

    tracker.push('Step 1/2 : FROM busybox');
    tracker.push('\n');
    tracker.push(' ---> 75bf2e192145\nhel');
    tracker.push('lo\r\nno newline at the end');
    tracker.flush();

    expect(lines).toEqual([
      'Step 1/2 : FROM busybox',
      ' ---> 75bf2e192145',
      'hello',
      'no newline at the end',
    ]);
  });

  it("explains a failure with the step and only that step's last output lines", () => {
    const tracker = new BuildOutputTracker(() => undefined);
    tracker.push('Step 1/3 : RUN echo earlier\n ---> Running in 1\nearlier output\n');
    tracker.push('Step 2/3 : RUN make\n ---> Running in abc\n');
    for (let i = 1; i <= 30; i += 1) tracker.push(`line ${i}\n`);

    const reason = tracker.describeFailure(
      "The command '/bin/sh -c make' returned a non-zero code: 2\n",
    );

    const expectedTail = Array.from({ length: FAILURE_OUTPUT_LINES }, (_, i) => `line ${i + 11}`);
    expect(reason).toBe(
      [
        "step 2/3 `RUN make` failed: The command '/bin/sh -c make' returned a non-zero code: 2",
        'last output:',
        ...expectedTail,
      ].join('\n'),
    );
  });

  it('says so when the build fails before any step', () => {
    const tracker = new BuildOutputTracker(() => undefined);
    expect(tracker.describeFailure('no space left on device')).toBe(
      'the build failed: no space left on device',
    );
  });
});
