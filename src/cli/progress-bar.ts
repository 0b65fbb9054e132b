/** A one-line progress bar redrawn in place; draws only when the stream is a terminal. */
export class ProgressBar {
  private lastPercent = -1;
  private readonly enabled: boolean;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly label: string,
    private readonly width = 30,
  ) {
    this.enabled = stream.isTTY === true;
  }

  update(done: number, total: number): void {
    if (!this.enabled) return;
    const percent = Math.min(100, Math.floor((100 * done) / total));
    if (percent === this.lastPercent) return;
    this.lastPercent = percent;
    const filled = Math.round((this.width * percent) / 100);
    this.stream.write(`\r${this.label} [${"#".repeat(filled)}${"-".repeat(this.width - filled)}] ${percent}%`);
  }

  /** Erases the bar so that later output starts on a clean line. */
  done(): void {
    if (this.enabled && this.lastPercent >= 0) this.stream.write("\r\x1b[2K");
  }
}
