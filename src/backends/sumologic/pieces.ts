/**
 * Text assembled from pieces and joined once: one flat string, where `+=` would leave a rope of
 * many small strings in the output. The array is kept from text to text, so that it does not grow
 * again for every text (a writer is used for one text at a time).
 */
export class Pieces {
  private parts: string[] = [];
  private count = 0;

  push(text: string): void {
    this.parts[this.count++] = text;
  }

  /** The pieces pushed since the last call, joined. */
  take(): string {
    const parts = this.parts;
    parts.length = this.count;
    this.count = 0;
    return parts.join('');
  }

  /** Drop what was pushed since the last take() (after an exception). */
  reset(): void {
    this.count = 0;
  }
}
