/** The walkthrough's id in package.json (`contributes.walkthroughs`). */
export const WALKTHROUGH_ID = 'claudeStudio.gettingStarted';
/** globalState: the walkthrough was opened once, so a restart does not open it again. */
export const WALKTHROUGH_SHOWN_KEY = 'claudeStudio.walkthroughShown';

/**
 * The context keys the extension sets for the walkthrough's `onContext:` completion events,
 * where running a command is not the same as having done the step (a cancelled key prompt, an
 * answer that has not arrived yet).
 */
export const WALKTHROUGH_CONTEXT_KEYS = {
  /** A key is in the keychain or the environment. */
  hasKey: 'claudeStudio.walkthrough.hasKey',
  /** The chat holds at least one context item. */
  hasContext: 'claudeStudio.walkthrough.hasContext',
  /** An answer arrived and was priced. */
  answered: 'claudeStudio.walkthrough.answered',
  /** A turn read part of its prompt from the cache. */
  cacheSaved: 'claudeStudio.walkthrough.cacheSaved',
  /** A recipe file under `.claude-studio/recipes/` was created or saved. */
  wroteRecipe: 'claudeStudio.walkthrough.wroteRecipe',
} as const;

/**
 * Open the walkthrough on the first run only, and only if the user lets VS Code open walkthroughs
 * for new extensions (`workbench.welcomePage.walkthroughs.openOnInstall`, true by default).
 */
export function shouldOpenWalkthrough(state: { readonly alreadyShown: unknown; readonly openOnInstall: unknown }): boolean {
  return state.alreadyShown !== true && state.openOnInstall !== false;
}
