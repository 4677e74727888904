// The shape of a generated GPT-style decoder (pre-LayerNorm, learned positions, untied LM head).
export interface DecoderShape {
  vocabSize: number;
  hidden: number;
  heads: number;
  layers: number;
  ffn: number;
  maxPositions: number;
  /** Standard deviation of the logits (LayerNorm output has unit variance; the LM head is scaled to this). */
  logitStd: number;
  /** Added to the logits of printable ASCII bytes (32–126 and newline) so a random byte-level
   *  model writes mostly readable characters; 0 or absent for none. */
  printableBias?: number;
}

export function checkShape(s: DecoderShape): void {
  for (const [k, v] of Object.entries(s)) {
    if (k !== 'printableBias' && !(typeof v === 'number' && v > 0))
      throw new Error(`decoder shape: ${k} must be positive`);
  }
  if (s.hidden % s.heads !== 0) throw new Error('decoder shape: hidden must be a multiple of heads');
}
