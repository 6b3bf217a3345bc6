/** The CLI as a library, for tests that check documented commands against its real flags. */
export { buildProgram } from './program';
