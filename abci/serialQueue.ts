// One serial queue for the whole application: requests from all four ABCI connections run one at
// a time, in arrival order, exactly as CometBFT's Go server does with its global mutex.
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    // The queue continues whether the task succeeded or not; callers see the task's own outcome.
    this.tail = result.catch(() => undefined);
    return result;
  }
}
