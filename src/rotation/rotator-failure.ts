/**
 * A step that did not succeed. `message` is agent-vault's own words (it is stored in the
 * vault's journal, in clear); `detail` is what the rotator said, redacted, shown to the caller
 * of this run only and never stored.
 */
export class RotatorFailure extends Error {
  override readonly name = "RotatorFailure";
  readonly detail: string | undefined;

  constructor(message: string, detail?: string) {
    super(message);
    this.detail = detail;
  }
}
