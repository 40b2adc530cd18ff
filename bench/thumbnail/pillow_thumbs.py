"""Pillow reference for the thumbnail benchmark (Debian's python3-pil).

    python3 pillow_thumbs.py seq|pool SRC_DIR OUT_DIR [SIZE] [QUALITY] [WORKERS]

Every image under SRC_DIR (recursive) becomes a JPEG thumbnail under OUT_DIR, mirroring the
relative path: Image.thumbnail() (draft mode = JPEG shrink-on-load), EXIF orientation applied
to the small image, never enlarged. `pool` is the seed method: ProcessPoolExecutor.map over
the file list. Prints one JSON line: {"images": n, "errors": n}.
"""
import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor

from PIL import Image, ImageOps

EXTS = {".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".gif"}


def thumb(job):
    src, dst, size, quality = job
    try:
        with Image.open(src) as im:
            im.thumbnail((size, size))
            im = ImageOps.exif_transpose(im)
            if im.mode not in ("RGB", "L"):
                im = im.convert("RGB")
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            im.save(dst, "JPEG", quality=quality)
        return True
    except Exception:
        return False


def main():
    mode, src, out = sys.argv[1], sys.argv[2], sys.argv[3]
    size = int(sys.argv[4]) if len(sys.argv) > 4 else 128
    quality = int(sys.argv[5]) if len(sys.argv) > 5 else 80
    workers = int(sys.argv[6]) if len(sys.argv) > 6 else os.cpu_count()
    jobs = []
    for root, _dirs, files in os.walk(src):
        for name in sorted(files):
            if os.path.splitext(name)[1].lower() in EXTS:
                path = os.path.join(root, name)
                jobs.append((path, os.path.join(out, os.path.relpath(path, src)), size, quality))
    if mode == "seq":
        ok = [thumb(j) for j in jobs]
    else:
        with ProcessPoolExecutor(max_workers=workers) as ex:
            ok = list(ex.map(thumb, jobs))
    print(json.dumps({"images": sum(ok), "errors": len(ok) - sum(ok)}))


if __name__ == "__main__":
    main()
