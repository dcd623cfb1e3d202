"""An uploaded picture, checked and made ready to serve: pure (bytes in, bytes out).

Pillow reads only JPEG, PNG, WebP and GIF here (``formats=``), so an SVG, a PDF or a file whose
name lies is refused whatever it is called. The size is read from the header and bounded
before a pixel is decoded (a 20000 × 20000 PNG of one colour is a few kilobytes that would
take 1.6 GB to open); ``verify`` then checks the file's structure and a second, full load
catches a truncated one. What is kept is the pixels: turned as the camera's EXIF says, in
sRGB, without EXIF, GPS, ICC or any other metadata, and written again in every size.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import warnings

from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from newsbrief.briefs.errors import InvalidContent

#: Pillow's names of the formats accepted, and what a variant is written as.
ACCEPTED = ("JPEG", "PNG", "WEBP", "GIF")
#: Widths written (never wider than the picture itself, which is written too when narrower
#: than the widest); 1200 is the size pages offer for sharing (OpenGraph).
WIDTHS = (480, 960, 1200, 1600)
SHARE_WIDTH = 1200
#: Each size in both formats: WebP for browsers that take it (a third smaller), JPEG for all.
FORMATS = {"webp": ("WEBP", {"quality": 80, "method": 4}), "jpeg": ("JPEG", {"quality": 85})}
MEDIA_TYPES = {"webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}
EXTENSIONS = {"webp": "webp", "jpeg": "jpg", "png": "png"}


class PictureRefused(InvalidContent):
    """An upload that is not stored; ``message`` tells the editor why, in their language."""

    def __init__(self, message: str):
        super().__init__(message, {"image": [message]})


@dataclasses.dataclass(frozen=True)
class Encoded:
    """One file to store: the kept original (``width`` its own) or one of its sizes."""

    kind: str  # "webp", "jpeg" or "png"
    width: int
    height: int
    data: bytes

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.kind]


@dataclasses.dataclass(frozen=True)
class Processed:
    digest: str  # sha256 of the bytes uploaded: the same file twice is one picture
    width: int
    height: int
    master: Encoded  # full size, clean: what an export carries and an import reads again
    variants: tuple[Encoded, ...]


def refuse(message: str):
    raise PictureRefused(message)


def process(data: bytes, *, max_bytes: int, max_pixels: int) -> Processed:
    """The picture in ``data``, checked, cleaned and in every size; ``PictureRefused`` saying
    why it is not."""
    image = open_checked(data, max_bytes=max_bytes, max_pixels=max_pixels)
    image = _clean(image)
    lossless = image.mode == "RGBA" or image.info.get("source") in ("PNG", "GIF")
    master = _encode(image, "png" if lossless else "jpeg", quality=95)
    return Processed(
        digest=hashlib.sha256(data).hexdigest(),
        width=image.width,
        height=image.height,
        master=master,
        variants=tuple(
            _encode(_resized(image, width), kind)
            for width in widths_for(image.width)
            for kind in FORMATS
        ),
    )


def open_checked(data: bytes, *, max_bytes: int, max_pixels: int) -> Image.Image:
    """The first frame of an accepted image, decoded; refused before decoding if it is too
    many bytes or pixels, not an accepted format, or damaged."""
    accepted = _("Upload a JPEG, PNG, WebP or GIF picture.")
    if len(data) > max_bytes:
        refuse(
            _("The file is %(size)s MB; pictures may be at most %(limit)s MB.")
            % {"size": _megabytes(len(data)), "limit": _megabytes(max_bytes)}
        )
    if not data:
        refuse(_("The file is empty.") + " " + accepted)
    if _looks_like_svg(data):
        refuse(_("SVG drawings are not accepted: they can carry scripts.") + " " + accepted)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=ACCEPTED) as probe:
                kind, (width, height) = probe.format, probe.size
                if width * height > max_pixels:
                    _refuse_bomb(max_pixels)
                probe.verify()
            image = Image.open(io.BytesIO(data), formats=[kind])
            image.load()  # the first frame of an animation
    except PictureRefused:
        raise  # a ValueError itself
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        _refuse_bomb(max_pixels)
    except UnidentifiedImageError:
        refuse(_("This file is not a picture newsbrief accepts.") + " " + accepted)
    except (OSError, SyntaxError, ValueError, EOFError):
        refuse(_("The picture is damaged or cut short.") + " " + accepted)
    image.info["source"] = kind
    return image


def _refuse_bomb(max_pixels: int):
    refuse(
        _("The picture has too many pixels: at most %(limit)s million are accepted.")
        % {"limit": f"{max_pixels / 1e6:g}"}
    )


def _looks_like_svg(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<?xml", b"<svg", b"<!doctype svg")) and b"<svg" in data[:4096].lower()


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.1f}".removesuffix(".0")


def _clean(image: Image.Image) -> Image.Image:
    """Upright, in sRGB, RGB or RGBA, with nothing but pixels (no EXIF, GPS, ICC, text)."""
    source = image.info.get("source")
    upright = ImageOps.exif_transpose(image)
    icc = image.info.get("icc_profile")
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or (
        upright.mode == "P" and "transparency" in upright.info
    )
    mode = "RGBA" if has_alpha else "RGB"
    if icc and upright.mode in ("RGB", "RGBA", "CMYK"):
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            upright = ImageCms.profileToProfile(
                upright, profile, ImageCms.createProfile("sRGB"), outputMode=mode
            )
        except (ImageCms.PyCMSError, OSError):
            pass  # a broken profile: the pixels as they are
    clean = Image.new(mode, upright.size)
    clean.paste(upright.convert(mode))
    clean.info = {"source": source}
    return clean


def widths_for(width: int) -> list[int]:
    """The sizes of a picture ``width`` wide: never upscaled."""
    return [w for w in WIDTHS[:-1] if w < width] + [min(width, WIDTHS[-1])]


def _resized(image: Image.Image, width: int) -> Image.Image:
    if width == image.width:
        return image
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.Resampling.LANCZOS)


def _encode(image: Image.Image, kind: str, quality: int | None = None) -> Encoded:
    out = io.BytesIO()
    if kind == "png":
        image.save(out, "PNG", optimize=True)
    else:
        name, options = FORMATS[kind]
        if quality:
            options = {**options, "quality": quality}
        if name == "JPEG":
            image = _flattened(image)
            options = {**options, "optimize": True, "progressive": True}
        image.save(out, name, **options)
    return Encoded(kind, image.width, image.height, out.getvalue())


def _flattened(image: Image.Image) -> Image.Image:
    """JPEG has no transparency: a transparent picture on white, as a page shows it."""
    if image.mode != "RGBA":
        return image
    flat = Image.new("RGB", image.size, "white")
    flat.paste(image, mask=image.getchannel("A"))
    return flat
