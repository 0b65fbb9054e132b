/** A response body serialized already (by another thread): sent as is, as application/json. */
export class JsonText {
  constructor(readonly text: string) {}
}
