/** A file that is not an image thumbnail can read, or params no image could be made with. */
export class ImageError extends Error {
  override name = 'ImageError';
}
