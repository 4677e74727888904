// tokenizer.json for a byte-level vocabulary: token id b is the byte b (GPT-2's byte→unicode
// alphabet as the token strings, ByteLevel pre-tokenizer without regex splitting, no merges),
// plus special tokens from id 256 on. Any byte string round-trips, so the demo model needs no
// trained tokenizer, yet it loads through the same tokenizer.json path as an exported model.

/** GPT-2's reversible byte → printable-unicode map used by ByteLevel tokenizers. */
export function bytesToUnicode(): string[] {
  const printable: number[] = [];
  for (let b = 33; b <= 126; b++) printable.push(b);
  for (let b = 161; b <= 172; b++) printable.push(b);
  for (let b = 174; b <= 255; b++) printable.push(b);
  const out = new Array<string>(256);
  for (const b of printable) out[b] = String.fromCodePoint(b);
  let extra = 0;
  for (let b = 0; b < 256; b++) if (out[b] === undefined) out[b] = String.fromCodePoint(256 + extra++);
  return out;
}

export interface TokenizerSpec {
  /** Extra entries of the BPE vocabulary beyond the 256 bytes (id → string), e.g. merged tokens. */
  extraVocab?: [string, number][];
  merges?: [string, string][];
  specialTokens: string[];
  /** Split on GPT-2's regex before BPE (needed for merges across words to behave like GPT-2). */
  useRegex?: boolean;
}

export function byteLevelTokenizerJson(spec: TokenizerSpec): Record<string, unknown> {
  const alphabet = bytesToUnicode();
  const vocab: Record<string, number> = {};
  alphabet.forEach((ch, b) => {
    vocab[ch] = b;
  });
  for (const [s, id] of spec.extraVocab ?? []) vocab[s] = id;
  const firstSpecial = Math.max(...Object.values(vocab)) + 1;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: spec.specialTokens.map((content, i) => ({
      id: firstSpecial + i,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: null,
    pre_tokenizer: {
      type: 'ByteLevel',
      add_prefix_space: false,
      trim_offsets: true,
      use_regex: spec.useRegex ?? false,
    },
    post_processor: null,
    decoder: {
      type: 'ByteLevel',
      add_prefix_space: false,
      trim_offsets: true,
      use_regex: spec.useRegex ?? false,
    },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges: spec.merges ?? [],
    },
  };
}

export function vocabularySize(tokenizerJson: Record<string, unknown>): number {
  const model = tokenizerJson.model as { vocab: Record<string, number> };
  const added = tokenizerJson.added_tokens as { id: number }[];
  return Math.max(...Object.values(model.vocab), ...added.map((t) => t.id)) + 1;
}
