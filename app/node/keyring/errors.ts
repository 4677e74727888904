// The keyring's one error kind: a problem the user can act on (shown as one line).
export class KeyringError extends Error {}
