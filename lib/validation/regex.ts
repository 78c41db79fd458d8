/** RE2 as Istio compiles it; the library's RequestMatch factories check regexes with it too (lib/match). */
export { re2CompileError } from './webhook/regex';
