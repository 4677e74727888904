// Text ↔ token ids for a model directory: tokenizer.json through @huggingface/tokenizers (the
// Hugging Face tokenizers format in plain JS) and the chat_template of tokenizer_config.json
// through @huggingface/jinja. Both work offline.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from '@huggingface/jinja';
import { Tokenizer } from '@huggingface/tokenizers';
import { ExecutorInputError } from './errors.js';

export interface ChatMessage {
  role: string;
  content: string;
}

function readJson(path: string, what: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ExecutorInputError(`model directory is missing ${what} (${path})`);
  }
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not a JSON object');
    return v as Record<string, unknown>;
  } catch (err) {
    throw new ExecutorInputError(
      `${path} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

export { readJson };

/** The special-token string of a tokenizer_config entry (a string or an AddedToken object). */
function tokenString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as { content?: unknown }).content === 'string')
    return (v as { content: string }).content;
  return undefined;
}

export class TextTokenizer {
  private readonly template: Template | undefined;
  private readonly specialStrings: Record<string, string>;

  private constructor(
    private readonly tok: Tokenizer,
    config: Record<string, unknown>,
  ) {
    const chat = config.chat_template;
    let source: string | undefined;
    if (typeof chat === 'string') source = chat;
    else if (Array.isArray(chat)) {
      // Newer configs list named templates; the one called "default" is used for chat.
      const named = chat.find((t) => (t as { name?: unknown }).name === 'default') as
        | { template?: unknown }
        | undefined;
      if (typeof named?.template === 'string') source = named.template;
    }
    try {
      this.template = source === undefined ? undefined : new Template(source);
    } catch (err) {
      throw new ExecutorInputError(
        `chat_template does not parse: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    this.specialStrings = {};
    for (const key of ['bos_token', 'eos_token', 'unk_token', 'pad_token']) {
      const s = tokenString(config[key]);
      if (s !== undefined) this.specialStrings[key] = s;
    }
  }

  static fromDir(dir: string): TextTokenizer {
    const tokenizerJson = readJson(join(dir, 'tokenizer.json'), 'tokenizer.json');
    let config: Record<string, unknown> = {};
    try {
      config = readJson(join(dir, 'tokenizer_config.json'), 'tokenizer_config.json');
    } catch (err) {
      if (!(err instanceof ExecutorInputError && err.message.includes('missing'))) throw err;
    }
    try {
      return new TextTokenizer(new Tokenizer(tokenizerJson, config), config);
    } catch (err) {
      if (err instanceof ExecutorInputError) throw err;
      throw new ExecutorInputError(
        `${join(dir, 'tokenizer.json')} is not a usable tokenizer: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  get hasChatTemplate(): boolean {
    return this.template !== undefined;
  }

  encode(text: string, addSpecialTokens = false): number[] {
    return this.tok.encode(text, { add_special_tokens: addSpecialTokens }).ids;
  }

  decode(ids: number[]): string {
    if (ids.length === 0) return ''; // the library rejects an empty list
    return this.tok.decode(ids, { skip_special_tokens: true });
  }

  tokenId(token: string): number | undefined {
    return this.tok.token_to_id(token);
  }

  specialToken(name: 'bos_token' | 'eos_token'): string | undefined {
    return this.specialStrings[name];
  }

  /** The prompt text the chat template renders for these messages (with the assistant turn opened). */
  applyChatTemplate(messages: ChatMessage[]): string {
    if (!this.template)
      throw new ExecutorInputError('this model has no chat_template in tokenizer_config.json');
    return this.template.render({ messages, add_generation_prompt: true, ...this.specialStrings });
  }
}

/** Turns a growing list of token ids into text deltas without re-decoding the whole output each
 *  step (the prefix/read-offset scheme of incremental detokenisers): a delta is released only
 *  once it no longer ends in an incomplete UTF-8 sequence. */
export class StreamDecoder {
  private readonly ids: number[] = [];
  private prefixOffset = 0;
  private readOffset = 0;

  constructor(private readonly tokenizer: TextTokenizer) {}

  push(id: number): string {
    this.ids.push(id);
    const prefix = this.tokenizer.decode(this.ids.slice(this.prefixOffset, this.readOffset));
    const full = this.tokenizer.decode(this.ids.slice(this.prefixOffset));
    if (full.length > prefix.length && !full.endsWith('\uFFFD')) {
      this.prefixOffset = this.readOffset;
      this.readOffset = this.ids.length;
      return full.slice(prefix.length);
    }
    return '';
  }

  /** Whatever is still held back (an incomplete sequence at the very end decodes to U+FFFD). */
  flush(): string {
    const prefix = this.tokenizer.decode(this.ids.slice(this.prefixOffset, this.readOffset));
    const full = this.tokenizer.decode(this.ids.slice(this.prefixOffset));
    this.prefixOffset = this.readOffset = this.ids.length;
    return full.slice(prefix.length);
  }
}
