/**
 * Choosing a new passphrase, as `vault init` and `vault rekey` ask for one: given (a file or the
 * environment), or typed twice on a terminal; then held to the library's rule for new
 * passphrases (checkNewPassphrase). Without either, a NO_KEY_SOURCE error naming the option.
 */
import { vaultError } from "../errors.js";
import { checkNewPassphrase } from "../keys/sources.js";
import { type CommandContext, promptOrFail } from "./context.js";

/**
 * The new passphrase: `given` when there is one, else asked twice on the terminal.
 * @param command the command to run again when the two typed passphrases differ.
 * @param howToGive the options that give one without a terminal, e.g. "--new-passphrase-file F".
 * @throws VaultError NO_KEY_SOURCE | USAGE | INVALID_INPUT
 */
export async function chooseNewPassphrase(
  ctx: CommandContext,
  given: string | undefined,
  command: string,
  howToGive: string,
): Promise<string> {
  let passphrase = given;
  if (passphrase === undefined) {
    if (!ctx.io.isTTY) {
      throw vaultError(
        "NO_KEY_SOURCE",
        "No new passphrase given and no terminal to ask on.",
        `Use ${howToGive}.`,
      );
    }
    passphrase = await promptOrFail(ctx.io, `New passphrase for agent ${ctx.agent}: `);
    if ((await promptOrFail(ctx.io, "Repeat it: ")) !== passphrase) {
      throw vaultError("USAGE", "The two passphrases differ.", `Run ${command} again.`);
    }
  }
  checkNewPassphrase(passphrase);
  return passphrase;
}
