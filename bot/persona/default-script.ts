/**
 * The default persona script, beside the engine that runs it. The data itself lives in
 * domain/persona/default-script.ts so the domain service (and the console's "reset to default") can read it
 * without domain importing the bot.
 */
export { DEFAULT_PERSONA_SCRIPT } from '../../domain/persona/default-script';
