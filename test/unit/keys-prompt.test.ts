// The passphrase prompt (issue 10): on a terminal it switches to raw mode and echoes nothing of
// what is typed (tested with a stream that reports isTTY and records setRawMode and every write);
// from a pipe it reads the next line, as scripts and tests rely on.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { type PromptIo, readPassphrase, readTtyLine, type TtyInput } from '../../app/node/keyring/prompt.js';

/** A fake terminal: records raw-mode switches; `type` delivers keystrokes as a TTY would. */
class FakeTty extends EventEmitter implements TtyInput {
  isTTY = true;
  isRaw = false;
  rawModes: boolean[] = [];
  setRawMode(mode: boolean) {
    this.isRaw = mode;
    this.rawModes.push(mode);
    return this;
  }
  resume() {
    return this;
  }
  pause() {
    return this;
  }
  type(s: string) {
    this.emit('data', Buffer.from(s, 'utf8'));
  }
}

const recorder = () => {
  const written: string[] = [];
  return { written, output: { write: (s: string) => written.push(s) } };
};

describe('passphrase prompt', () => {
  it('reads a passphrase on a terminal in raw mode without echoing it', async () => {
    const tty = new FakeTty();
    const { written, output } = recorder();
    const saved = process.env.GONKA_KEYRING_PASSPHRASE;
    delete process.env.GONKA_KEYRING_PASSPHRASE;
    try {
      const got = readPassphrase('passphrase: ', { input: tty, output } as unknown as PromptIo);
      assert.deepEqual(tty.rawModes, [true], 'raw mode on before anything is typed');
      tty.type('secr'); // split across chunks, with a typo corrected by backspace
      tty.type('etX\u007f pass\u00e9\r');
      assert.equal(await got, 'secret passé');
      assert.deepEqual(tty.rawModes, [true, false], 'raw mode restored');
      assert.equal(tty.listenerCount('data'), 0, 'stops listening');
      const shown = written.join('');
      assert.equal(shown, 'passphrase: \n', 'only the prompt and the final newline are written');
    } finally {
      if (saved !== undefined) process.env.GONKA_KEYRING_PASSPHRASE = saved;
    }
  });

  it('aborts on Ctrl-C and restores the terminal', async () => {
    const tty = new FakeTty();
    const { output } = recorder();
    const got = readTtyLine(tty, output, 'passphrase: ', { echo: false });
    tty.type('abc\u0003');
    await assert.rejects(got, /interrupted/);
    assert.deepEqual(tty.rawModes, [true, false]);
  });

  it('echoes ordinary answers (the mnemonic prompt) when asked to', async () => {
    const tty = new FakeTty();
    const { written, output } = recorder();
    const got = readTtyLine(tty, output, 'mnemonic: ', { echo: true });
    tty.type('ab\u007fc\n');
    assert.equal(await got, 'ac');
    assert.equal(written.join(''), 'mnemonic: ab\b \bc\n');
  });

  it('reads the next line from a pipe', async () => {
    const input = new PassThrough();
    const { output } = recorder();
    const saved = process.env.GONKA_KEYRING_PASSPHRASE;
    delete process.env.GONKA_KEYRING_PASSPHRASE;
    try {
      input.end('from a pipe\n');
      assert.equal(
        await readPassphrase('passphrase: ', { input, output } as unknown as PromptIo),
        'from a pipe',
      );
    } finally {
      if (saved !== undefined) process.env.GONKA_KEYRING_PASSPHRASE = saved;
    }
  });
});
