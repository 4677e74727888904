// The tokenizers of the models this API node serves as transfer agent: the TA counts prompt
// tokens (for the Start msg and the context check) before anything is escrowed, so it needs each
// model's tokenizer.json (and chat template) but no ONNX session.
import { ensureDemoModelDir } from '../../../kernels/executor/model/demo.js';
import { TextTokenizer } from '../../../kernels/executor/tokenizer.js';

/** id → 'demo' (the generated demo model) or a model directory. */
export function loadTokenizers(models: Record<string, string>): Map<string, TextTokenizer> {
  const out = new Map<string, TextTokenizer>();
  for (const [id, spec] of Object.entries(models))
    out.set(id, TextTokenizer.fromDir(spec === 'demo' ? ensureDemoModelDir() : spec));
  return out;
}
