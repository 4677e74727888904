// Typed ABCI events. Attribute keys are snake_case and never empty; `index` marks searchable ones
// (CometBFT's kv indexer indexes only those).
import type { Event } from 'cosmjs-types/tendermint/abci/types';

export type Attr = [key: string, value: string, index?: boolean];

export function event(type: string, attrs: Attr[]): Event {
  if (!type) throw new Error('event type must not be empty');
  return {
    type,
    attributes: attrs.map(([key, value, index = true]) => {
      if (!key) throw new Error(`event ${type}: empty attribute key`);
      return { key, value, index };
    }),
  };
}

export class EventManager {
  private readonly list: Event[] = [];

  emit(e: Event): void {
    this.list.push(e);
  }

  emitAll(es: readonly Event[]): void {
    for (const e of es) this.list.push(e);
  }

  events(): Event[] {
    return this.list;
  }
}
