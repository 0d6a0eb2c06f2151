/** Thrown for unparseable input or unencodable values; the message reads like the Go library's. */
export class DataFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataFormatError';
  }
}
