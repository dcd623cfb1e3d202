"""Real small pictures made by Pillow, and hostile files, for the upload tests."""

import functools
import io
import zlib

from PIL import Image

#: EXIF tags: Orientation, and the GPS block's pointer.
ORIENTATION, GPS_IFD = 0x0112, 0x8825


def jpeg_with_gps(size=(640, 480), orientation: int = 6) -> bytes:
    """A JPEG as a phone writes it: sideways (EXIF orientation 6: turn 90° to show), with
    GPS coordinates, a camera model and an ICC profile."""
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, size[0] // 2, size[1] // 4))
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x0110] = "Secret Phone 3000"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (25.0, 2.0, 0.0), 3: "E", 4: (121.0, 33.0, 0.0)})
    from PIL import ImageCms

    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, icc_profile=icc, quality=90)
    return out.getvalue()


def png_with_alpha(size=(300, 200)) -> bytes:
    image = Image.new("RGBA", size, (0, 128, 0, 0))
    image.paste((0, 128, 0, 255), (50, 50, 250, 150))
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=_text_chunk())
    return out.getvalue()


def _text_chunk():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "someone@example.com")
    return info


def webp(size=(2000, 1000)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, "WEBP", quality=70)
    return out.getvalue()


def animated_gif(size=(120, 80)) -> bytes:
    frames = [Image.new("P", size, color) for color in (1, 2, 3)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return out.getvalue()


@functools.cache
def png_bomb(side: int = 20000) -> bytes:
    """A valid PNG ``side`` × ``side`` of one grey, a few hundred kilobytes compressed
    (400 million pixels open as 400 MB)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = side.to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])  # 8-bit greyscale
    compressor = zlib.compressobj(9)
    rows = (b"\x00" + b"\x80" * side) * 500
    data = b"".join(compressor.compress(rows) for _ in range(side // 500)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
)
NOT_AN_IMAGE = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"


def truncated_jpeg() -> bytes:
    data = jpeg_with_gps(orientation=1)
    return data[: len(data) // 2]


def bmp() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "BMP")
    return out.getvalue()
