// gonkad: the one command-line entry point. Each subcommand lives in commands/<name>.ts and
// exports `register(program)`; results go to stdout, logs and progress to stderr.
import { runGonkad } from './gonkad.js';

await runGonkad(process.argv);
