/**
 * A JSON request body whose parse was left to its handler (the Personalizer rank route, which
 * can hand the text to another thread). `parse()` gives what the app's JSON parser would have
 * given, or throws its error.
 */
export class RawJsonBody {
  constructor(
    readonly text: string,
    private readonly parseNow: (text: string) => unknown,
  ) {}

  parse(): unknown {
    return this.parseNow(this.text);
  }
}
